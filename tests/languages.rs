//! The workbook and `check` in each language (`--lang en|nl|fr`, `[output] lang`): sheet names,
//! titles, KPI names, issue reasons and chart titles read back equal the catalogue
//! (`src/i18n/<lang>.toml`), no English word is left in a Dutch or French workbook, and every
//! machine output (the KPI export, `check`'s JSON keys) is the same in every language.

mod common;

use calamine::{open_workbook_auto, Data, Reader};
use common::{bin, root, run, samples_report_with, sheet, sheet_names};
use scoreboard::config::Lang;
use scoreboard::i18n::{labels, Labels};
use scoreboard::model::{ColumnName, Reason};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const LANGS: [Lang; 3] = [Lang::En, Lang::Nl, Lang::Fr];

/// The samples' workbook and KPI export in one language, built once per test process.
struct Built {
    workbook: PathBuf,
    kpis: Vec<u8>,
    _dir: tempfile::TempDir,
}

fn built(lang: Lang) -> &'static Built {
    static BUILT: OnceLock<Vec<(Lang, Built)>> = OnceLock::new();
    let all = BUILT.get_or_init(|| {
        LANGS
            .iter()
            .map(|&lang| {
                let dir = tempfile::tempdir().unwrap();
                let (code, stderr) = samples_report_with(dir.path(), &["--lang", lang.code()]);
                assert_eq!(code, 1, "{stderr}");
                let built = Built {
                    workbook: dir.path().join("KPI_2025-03.xlsx"),
                    kpis: std::fs::read(dir.path().join("kpis.csv")).unwrap(),
                    _dir: dir,
                };
                (lang, built)
            })
            .collect()
    });
    &all.iter().find(|(l, _)| *l == lang).unwrap().1
}

/// Every text of the workbook's chart parts (titles, series names) and their range formulas.
fn chart_texts(workbook: &Path) -> (Vec<String>, Vec<String>) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(workbook).unwrap()).unwrap();
    let (mut texts, mut formulas) = (Vec::new(), Vec::new());
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap_or_default().to_string();
        if !(name.starts_with("xl/charts/chart") && name.ends_with(".xml")) {
            continue;
        }
        let mut xml = String::new();
        part.read_to_string(&mut xml).unwrap();
        for (open, close, is_formula) in [
            ("<a:t>", "</a:t>", false),
            ("<c:v>", "</c:v>", false),
            ("<c:f>", "</c:f>", true),
        ] {
            for piece in xml.split(open).skip(1) {
                let text = piece.split(close).next().unwrap_or_default();
                let text = text
                    .replace("&apos;", "'")
                    .replace("&amp;", "&")
                    .replace("&quot;", "\"");
                if is_formula {
                    formulas.push(text);
                } else {
                    texts.push(text);
                }
            }
        }
    }
    (texts, formulas)
}

fn has_row(rows: &[Vec<String>], wanted: &[&str]) -> bool {
    rows.iter()
        .any(|r| wanted.iter().all(|w| r.iter().any(|c| c == w)))
}

/// A column named by the header the sample file gives it.
fn column(kind: &'static str, column: &'static str, header: &str) -> ColumnName {
    ColumnName {
        kind,
        column,
        header: Some(header.to_string()),
        lang: None,
    }
}

#[test]
fn each_language_reads_back_as_its_catalogue() {
    for lang in LANGS {
        let l = labels(lang);
        let path = &built(lang).workbook;
        let code = lang.code();
        let names = sheet_names(path);
        for sheet in [
            &l.sheet_dashboard,
            &l.sheet_actions,
            &l.sheet_absence,
            &l.sheet_indicators,
            &l.sheet_satisfaction,
            &l.sheet_proposals,
            &l.sheet_plan_quality,
            &l.sheet_kpi,
            &l.sheet_issues,
        ] {
            assert!(
                names.contains(sheet),
                "{code}: no sheet {sheet} in {names:?}"
            );
        }
        let actions_data = format!("{}{}", l.sheet_data_prefix, l.kind("actions"));
        assert!(names.contains(&actions_data), "{code}: {names:?}");

        let dashboard = sheet(path, &l.sheet_dashboard);
        assert_eq!(dashboard[0][0], l.title, "{code}: title");
        assert!(
            dashboard[1][0].starts_with(&l.labelled(&l.reporting_month, l.month("2025-03"))),
            "{code}: {}",
            dashboard[1][0]
        );
        assert_eq!(
            dashboard[3][0],
            l.kpi(scoreboard::kpi::Kpi::ActionsOnTimeRate),
            "{code}: tile"
        );
        // 7 of 16 assessable actions and the target, in words of the language.
        assert_eq!(
            dashboard[5][0],
            format!("7 {} 16 · {} {}", l.basis_of, l.target, l.percent(0.9)),
            "{code}"
        );

        let kpi = sheet(path, &l.sheet_kpi);
        assert_eq!(
            kpi[0][..2],
            [l.kpi_columns[0].clone(), l.kpi_columns[1].clone()]
        );
        assert!(
            has_row(
                &kpi,
                &[
                    "actions_on_time_rate",
                    &l.kpi(scoreboard::kpi::Kpi::ActionsOnTimeRate),
                    &l.scope("all"),
                    &l.status("red")
                ]
            ),
            "{code}: KPI sheet keeps the id, names the KPI and its scope in the language"
        );

        let issues = sheet(path, &l.sheet_issues);
        assert_eq!(issues[0], l.issue_columns.to_vec(), "{code}: Issues header");
        let required = l.render(
            &Reason::new("required_empty")
                .columns("column", vec![column("actions", "action_id", "Actie-ID")]),
        );
        assert!(
            has_row(&issues, &["A21", &l.severity("error"), &required]),
            "{code}: {required}"
        );
        let unreadable = l.render(
            &Reason::new("column_problem")
                .columns(
                    "column",
                    vec![column("actions", "completed_on", "Datum afgewerkt")],
                )
                .phrase(
                    "reason",
                    Reason::new("cell_unreadable")
                        .arg("value", "31/02/2025")
                        .phrase("what", Reason::new("expected_date")),
                ),
        );
        assert!(
            has_row(&issues, &["H20", &unreadable]),
            "{code}: {unreadable}"
        );

        let (texts, formulas) = chart_texts(path);
        for title in [
            &l.chart_on_time_by_owner,
            &l.chart_satisfaction,
            &l.chart_absence,
        ] {
            assert!(
                texts.contains(title),
                "{code}: chart title {title} in {texts:?}"
            );
        }
        // Every chart range points at a sheet of this workbook (translated sheet names are
        // quoted where Excel needs it).
        for f in &formulas {
            let sheet = f.rsplit_once('!').map_or("", |(s, _)| s).trim_matches('\'');
            assert!(names.iter().any(|n| n == sheet), "{code}: chart range {f}");
        }
    }
}

#[test]
fn the_kpi_export_is_identical_in_every_language() {
    let en = &built(Lang::En).kpis;
    assert!(!en.is_empty());
    for lang in [Lang::Nl, Lang::Fr] {
        assert!(
            built(lang).kpis == *en,
            "{}: KPI export differs",
            lang.code()
        );
    }
}

/// Every string of a catalogue file by its key path (`reason.total_row`, `owner_columns.3`).
fn catalogue(lang: Lang) -> BTreeMap<String, String> {
    fn walk(prefix: &str, v: &toml::Value, out: &mut BTreeMap<String, String>) {
        match v {
            toml::Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            toml::Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    walk(&format!("{prefix}.{i}"), v, out);
                }
            }
            toml::Value::Table(t) => {
                for (k, v) in t {
                    walk(&format!("{prefix}.{k}"), v, out);
                }
            }
            _ => {}
        }
    }
    let text =
        std::fs::read_to_string(root().join(format!("src/i18n/{}.toml", lang.code()))).unwrap();
    let mut out = BTreeMap::new();
    walk("", &toml::from_str(&text).unwrap(), &mut out);
    out
}

/// The English words that the language translates differently: what must not appear (a word
/// the language itself also uses somewhere, such as `Indicator` in Dutch, is no leftover).
fn english_left_over(lang: Lang) -> Vec<String> {
    let (en, other) = (catalogue(Lang::En), catalogue(lang));
    let own: Vec<&String> = other.values().collect();
    let mut words: Vec<String> = en
        .iter()
        .filter(|(key, text)| other.get(*key) != Some(*text) && !own.contains(text))
        // A template is checked by the text before its first placeholder.
        .map(|(_, text)| {
            text.split('{')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .filter(|text| text.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Whether a cell says an English catalogue text: equal to it, or opening with it as a label
/// (`Absence rate (March 2025)`, `Reporting month: …`).
fn says(cell: &str, english: &str) -> bool {
    cell == english
        || [" (", ": ", " · "]
            .iter()
            .any(|sep| cell.starts_with(&format!("{english}{sep}")))
}

#[test]
fn no_english_is_left_in_a_dutch_or_french_workbook() {
    for lang in [Lang::Nl, Lang::Fr] {
        let l: &Labels = labels(lang);
        let english = english_left_over(lang);
        assert!(
            english.iter().any(|e| e == "Dashboard"),
            "the check can fail"
        );
        let path = &built(lang).workbook;
        let mut book = open_workbook_auto(path).unwrap();
        let mut found = Vec::new();
        for name in book.sheet_names() {
            // Data sheets keep the machine column names and values scoreboard reads back.
            if name.starts_with(&l.sheet_data_prefix) {
                continue;
            }
            let range = book.worksheet_range(&name).unwrap();
            for (r, row) in range.rows().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    // The KPI sheet's id, scope, key and period columns are machine names.
                    if name == l.sheet_kpi && r > 0 && [0, 2, 3, 4].contains(&c) {
                        continue;
                    }
                    if let Data::String(text) = cell {
                        if let Some(e) = english.iter().find(|e| says(text, e)) {
                            found.push(format!(
                                "{name}!R{}C{}: {text:?} (English {e:?})",
                                r + 1,
                                c + 1
                            ));
                        }
                    }
                }
            }
        }
        let (texts, _) = chart_texts(path);
        for text in texts {
            if let Some(e) = english.iter().find(|e| says(&text, e)) {
                found.push(format!("chart: {text:?} (English {e:?})"));
            }
        }
        assert!(found.is_empty(), "{}: {found:#?}", lang.code());
    }
}

#[test]
fn check_speaks_the_language_and_keeps_its_json_keys() {
    let inbox = root().join("samples/inbox");
    let config = root().join("samples/scoreboard.toml");
    let check = |lang: &str, format: &str| {
        let out = bin()
            .args(["check", inbox.to_str().unwrap(), "--config"])
            .arg(&config)
            .args(["--month", "2025-03", "--lang", lang, "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let required = |lang| {
        labels(lang).render(
            &Reason::new("required_empty")
                .columns("column", vec![column("actions", "action_id", "Actie-ID")]),
        )
    };
    assert!(check("fr", "text").contains(&required(Lang::Fr)));
    assert!(check("nl", "text").contains(&required(Lang::Nl)));
    let json =
        |lang: &str| -> serde_json::Value { serde_json::from_str(&check(lang, "json")).unwrap() };
    let (en, fr) = (json("en"), json("fr"));
    let keys = |doc: &serde_json::Value| -> Vec<String> {
        doc["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["reason_key"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(keys(&en), keys(&fr));
    let reason_of = |doc: &serde_json::Value| {
        doc["issues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["cell"] == "A21")
            .map(|i| i["reason"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(reason_of(&en), required(Lang::En));
    assert_eq!(reason_of(&fr), required(Lang::Fr));
}

#[test]
fn the_config_chooses_the_language_and_lang_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    common::write_xlsx(
        &dir.path().join("scorebord_2025-03.xlsx"),
        &[
            &["Actie-ID", "Omschrijving", "Directie", "Deadline", "Status"],
            &["A1", "t", "P", "31/03/2025", "Lopend"],
        ],
    );
    std::fs::write(dir.path().join("fr.toml"), "[output]\nlang = \"fr\"\n").unwrap();
    let report = |extra: &[&str]| {
        let mut args = vec![
            "report",
            "scorebord_2025-03.xlsx",
            "--config",
            "fr.toml",
            "-o",
            "out.xlsx",
        ];
        args.extend(extra);
        let (code, stderr) = run(dir.path(), &args);
        assert_eq!(code, 0, "{stderr}");
        sheet_names(&dir.path().join("out.xlsx"))
    };
    assert!(report(&[]).contains(&"Tableau de bord".to_string()));
    assert!(report(&["--lang", "nl"]).contains(&"Boordtabel".to_string()));
    std::fs::write(dir.path().join("fr.toml"), "[output]\nlang = \"de\"\n").unwrap();
    let (code, stderr) = run(
        dir.path(),
        &[
            "report",
            "scorebord_2025-03.xlsx",
            "--config",
            "fr.toml",
            "-o",
            "x.xlsx",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("lang"), "{stderr}");
}

/// Issue 25, item 7: the terminal speaks the run's language — report's summary and last lines,
/// check's lines (severities, kinds, French colons), convert's lines — while check's JSON keeps
/// its ids.
#[test]
fn the_terminal_speaks_the_runs_language() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = samples_report_with(dir.path(), &["--lang", "nl"]);
    assert_eq!(code, 1, "{stderr}");
    for said in [
        "13 bestand(en) gelezen; 45 rij(en) acties; 75 rij(en) verzuim per maand",
        "(13 rij(en) vervangen door een latere momentopname)",
        "meldingen: 3 fout(en), 9 waarschuwing(en), 7 opmerking(en)",
        "tijdig gerealiseerde acties: 43,8 % (7 van 16) op 31/03/2025 [Streefwaarde niet gehaald]",
        "geschreven: KPI_2025-03.xlsx\ngeschreven: kpis.csv\nklaar in ",
    ] {
        assert!(stderr.contains(said), "{said:?} not in:\n{stderr}");
    }
    for english in [
        "file(s)",
        "error(s)",
        "wrote",
        "done in",
        "absence_monthly",
        "[red]",
    ] {
        assert!(!stderr.contains(english), "{english:?} in:\n{stderr}");
    }

    let inbox = root().join("samples/inbox");
    let config = root().join("samples/scoreboard.toml");
    let out = bin()
        .args(["check", inbox.to_str().unwrap(), "--config"])
        .args([
            config.to_str().unwrap(),
            "--month",
            "2025-03",
            "--lang",
            "fr",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for said in [
        "  Scorebord › actions : 18 ligne(s) lue(s)",
        "    erreur : Scorebord › A21 : « Actie-ID » (action_id) est vide ; ligne exclue",
        "    avertissement : Scorebord › G18 [bijna klaar] : ",
    ] {
        assert!(text.contains(said), "{said:?} not in:\n{text}");
    }
    assert!(
        !text.contains("warning:") && !text.contains("error:"),
        "{text}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("signalements : 3 erreur(s)"), "{stderr}");

    let (code, stderr) = run(
        dir.path(),
        &[
            "convert",
            inbox.join("meetpunten_2025.xlsx").to_str().unwrap(),
            "--to",
            "csv",
            "--out-dir",
            "csv",
            "--lang",
            "fr",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(": 1 feuille(s), 15 ligne(s) → meetpunten_2025__Meetpunten.csv"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 fichier(s) sur 1 converti(s) en csv en "),
        "{stderr}"
    );
}

/// Issue 25, item 7: the workbook's Data sheets, KPI sheet and absence matrix in the run's
/// language — headers as the template names the columns, statuses and polarities in words, the
/// KPI's scope, key and period in words, months in short words — while the KPI export keeps its
/// ids (checked by the test above).
#[test]
fn data_sheets_and_the_kpi_sheet_speak_the_runs_language() {
    let path = &built(Lang::Nl).workbook;
    let l = labels(Lang::Nl);
    let actions = sheet(
        path,
        &format!("{}{}", l.sheet_data_prefix, l.kind("actions")),
    );
    assert_eq!(
        actions[0][..3],
        ["Actie-ID", "Omschrijving", "Operationele doelstelling"]
    );
    assert_eq!(
        actions[0][13..],
        [
            "Gebruikte status",
            "Beoordeelde deadline",
            "Herpland",
            "Gebruikte rapportdatum",
            "Momentopnames",
            "Bronbestand",
            "Bronblad",
            "Bronrij"
        ]
    );
    let del01 = actions.iter().find(|r| r[0] == "DEL-01").expect("DEL-01");
    assert_eq!(
        [&del01[6], &del01[8], &del01[15]],
        ["doorlopend", "Lopend", "nee"]
    );
    let indicators = sheet(
        path,
        &format!("{}{}", l.sheet_data_prefix, l.kind("indicators")),
    );
    assert_eq!(indicators[0][4], "Richting");
    assert!(indicators[1..]
        .iter()
        .all(|r| r[4] == "hoger is beter" || r[4] == "lager is beter"));
    assert!(
        indicators[1..].iter().any(|r| r[1] == "2025-01"),
        "periods stay sortable"
    );

    let kpi = sheet(path, &l.sheet_kpi);
    let find = |id: &str, scope: &str, key: &str, period: &str| {
        kpi.iter()
            .any(|r| r[0] == id && r[2] == scope && r[3] == key && r[4] == period)
    };
    assert!(find(
        "actions_on_time_rate",
        "Hele organisatie",
        "",
        "31/03/2025"
    ));
    assert!(find(
        "actions_on_time_rate",
        "Directie",
        "(geen directie)",
        "31/03/2025"
    ));
    assert!(find("absence_rate", "Hele organisatie", "", "maart 2025"));

    let absence = sheet(path, &l.sheet_absence);
    let matrix = absence
        .iter()
        .find(|r| r[0] == "Directie")
        .expect("the matrix header");
    assert_eq!(matrix[1..4], ["jan 2024", "feb 2024", "mrt 2024"]);
}
