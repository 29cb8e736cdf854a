//! End to end: `scoreboard sample --size small` writes inputs that `scoreboard report` reads with
//! no rejected row, and the report finds exactly what the generator put in.

mod common;

use common::*;
use scoreboard::sample::actions::{expected, Class};
use scoreboard::sample::Size;

fn value(rows: &[Vec<String>], kpi: &str) -> f64 {
    kpi_row(rows, kpi, "all", "")[6]
        .parse()
        .unwrap_or_else(|e| panic!("{kpi}: {e}"))
}

#[test]
fn small_sample_is_reported_without_errors_and_with_the_generated_action_mix() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = run(dir.path(), &["sample", "--size", "small", "-o", "in"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("inbox: 60 files"), "{stderr}");
    let inbox = std::fs::read_dir(dir.path().join("in/inbox/po"))
        .unwrap()
        .count();
    assert_eq!(inbox, 12, "one CSV scoreboard per month");

    let (code, stderr) = run(
        dir.path(),
        &[
            "report", "in", "--month", "2025-12", "-o", "KPI.xlsx", "--kpis", "kpis.csv",
        ],
    );
    assert_eq!(code, 0, "no row may be rejected: {stderr}");
    assert!(stderr.contains("issues: 0 error(s)"), "{stderr}");
    // 1,000 plan actions + 5 directorates × 20 inbox actions, each inbox action reported in 12
    // monthly files (11 superseded snapshots each); 400 employees × 5 spells; 8 units × 24 months.
    assert!(stderr.contains("; 1,100 actions row(s)"), "{stderr}");
    assert!(
        stderr.contains("(1,100 superseded snapshot row(s))"),
        "{stderr}"
    );
    assert!(stderr.contains("; 2,000 absence_spells row(s)"), "{stderr}");
    assert!(stderr.contains("; 192 headcount row(s)"), "{stderr}");

    let plan = Size::Small.plan();
    let kpis = kpi_csv(&dir.path().join("kpis.csv"));
    // The spells of the sample give the KPIs the sample inbox of the README does not.
    for kpi in [
        "absence_short_rate",
        "absence_medium_rate",
        "absence_long_rate",
        "absence_frequency",
        "absence_avg_duration",
        "absence_zero_share",
    ] {
        assert!(kpis.iter().any(|r| r[0] == kpi), "{kpi} in the export");
    }
    for (kpi, class) in [
        ("actions_on_time", Class::OnTime),
        ("actions_late", Class::Late),
        ("actions_overdue", Class::Overdue),
        ("actions_open", Class::Open),
        ("actions_continuous", Class::Continuous),
        ("actions_cancelled", Class::Cancelled),
    ] {
        assert_eq!(value(&kpis, kpi), expected(&plan, class) as f64, "{kpi}");
    }
    // 11 blocks of 100 actions, each with 45 on time, 14 late and 10 overdue: 495 / 759.
    assert_eq!(expected(&plan, Class::OnTime), 495);
    let rate = kpi_row(&kpis, "actions_on_time_rate", "all", "");
    assert_eq!(&rate[3..6], &["2025-12-31", "495.0", "759.0"]);
    assert!((value(&kpis, "actions_on_time_rate") - 495.0 / 759.0).abs() < 1e-12);
    // Every generated action has a title, a measure point, an owner and a readable deadline.
    assert_eq!(value(&kpis, "plan_smart_rate"), 1.0);

    let spells = sheet(&dir.path().join("KPI.xlsx"), "Data – absence_spells");
    assert_eq!(spells.len(), 2_001, "header + every spell");
}
