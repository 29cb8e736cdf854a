//! `scoreboard config --example`: prints a commented `scoreboard.toml` naming every key. The text
//! is `docs/scoreboard.example.toml`, the one copy the documentation links to.

use crate::cli::ConfigArgs;
use crate::error::RunError;
use std::io::Write;

/// The commented example configuration, every key with its default or an example value.
pub const EXAMPLE: &str = include_str!("../../docs/scoreboard.example.toml");

/// Prints the example; returns exit code 0 (a closed pipe ends it quietly, as `check`).
///
/// # Errors
/// None today; the signature is every command's.
pub fn run(args: &ConfigArgs) -> Result<u8, RunError> {
    if args.example {
        let mut out = std::io::stdout().lock();
        // A failed write means the reader has gone (`| head`): nothing left to tell it.
        let _ = out.write_all(EXAMPLE.as_bytes()).and_then(|()| out.flush());
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::EXAMPLE;
    use crate::config::*;
    use chrono::NaiveDate;
    use std::collections::BTreeSet;

    /// Dotted key paths of a TOML document (`actions.on_time_thresholds.green`, `sheets[].kind`);
    /// the entries of tables keyed by the analyst's own names (kinds, columns, indicators)
    /// become `*`.
    fn keys(value: &toml::Value, path: &str, out: &mut BTreeSet<String>) {
        const NAMED_BY_USER: [&str; 3] = ["aliases", "aliases.*", "indicators.per_indicator"];
        match value {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let k = if NAMED_BY_USER.contains(&path) {
                        "*"
                    } else {
                        k
                    };
                    let p = if path.is_empty() {
                        k.to_string()
                    } else {
                        format!("{path}.{k}")
                    };
                    keys(v, &p, out);
                }
            }
            toml::Value::Array(items) if items.iter().all(toml::Value::is_table) => {
                for item in items {
                    keys(item, &format!("{path}[]"), out);
                }
            }
            _ => {
                out.insert(path.to_string());
            }
        }
    }

    fn key_set(value: &toml::Value) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        keys(value, "", &mut out);
        out
    }

    #[test]
    fn the_example_config_parses() {
        let s = Settings::parse(EXAMPLE).expect("docs/scoreboard.example.toml parses");
        assert_eq!(s.plan.mandate_end, NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(s.calendar.preset, Preset::BeBrussels);
        assert_eq!(s.calendar.closing_days.len(), 2);
        assert_eq!(s.satisfaction.scale, Some(10));
        assert_eq!(s.alias_triples().len(), 3);
        assert_eq!(
            s.forced_kind("in/DSE_2025-03.xlsx", "Blad1"),
            Some("actions")
        );
    }

    #[test]
    fn the_example_config_names_every_key_the_configuration_accepts() {
        // Built field by field, without `..Default::default()`: a new field does not compile
        // until it is given a value here, and then it must appear in the example.
        let t = Thresholds {
            green: 1.0,
            amber: 0.5,
        };
        let filled = Settings {
            plan: PlanSettings {
                mandate_end: NaiveDate::from_ymd_opt(2026, 6, 30),
            },
            actions: ActionSettings {
                deadline: DeadlineBasis::Current,
                on_time_thresholds: t,
            },
            aliases: [(
                "actions".to_string(),
                [("owner".to_string(), vec!["Pôle".to_string()])].into(),
            )]
            .into(),
            sheets: vec![ForcedSheet {
                file: "DSE".into(),
                sheet: Some("Blad1".into()),
                kind: "actions".into(),
                header_row: Some(3),
                columns: [("deadline".to_string(), "Datum".to_string())].into(),
            }],
            indicators: IndicatorSettings {
                thresholds: t,
                per_indicator: [("Wachttijd".to_string(), t)].into(),
            },
            satisfaction: SatisfactionSettings { scale: Some(10) },
            calendar: CalendarSettings {
                preset: Preset::BeFederal,
                closing_days: NaiveDate::from_ymd_opt(2025, 12, 24).into_iter().collect(),
            },
            absence: AbsenceSettings {
                trend_threshold: 0.001,
            },
            output: OutputSettings {
                company: Some("Actiris".into()),
                lang: Some(crate::model::Lang::Nl),
                csv_separator: Some(";".into()),
                csv_bom: Some(true),
                csv_decimal: Some(crate::options::Decimal::Comma),
                html: Some(true),
            },
            names: [(
                "owner".to_string(),
                [("ICT".to_string(), vec!["Dienst ICT".to_string()])].into(),
            )]
            .into(),
            expected: ExpectedSettings {
                directorates: vec!["ICT".into()],
            },
            feedback: crate::config::FeedbackSettings {
                lang: [("tableau_*".to_string(), crate::model::Lang::Fr)].into(),
            },
        };
        // Through text: a TOML date only becomes a date when written out.
        let serialised = toml::to_string(&filled).expect("settings serialise");
        let accepted = key_set(&toml::from_str(&serialised).unwrap());
        let example: toml::Value = toml::from_str(EXAMPLE).unwrap();
        let shown = key_set(&example);
        let missing: Vec<_> = accepted.difference(&shown).collect();
        assert!(
            missing.is_empty(),
            "keys missing from the example: {missing:?}"
        );
        let unknown: Vec<_> = shown.difference(&accepted).collect();
        assert!(
            unknown.is_empty(),
            "keys the configuration does not know: {unknown:?}"
        );
        // The serialised form reads back as the same settings (dates stay TOML dates).
        let again = Settings::parse(&serialised).unwrap();
        assert_eq!(again.calendar.closing_days, filled.calendar.closing_days);
        assert_eq!(again.plan.mandate_end, filled.plan.mandate_end);
    }

    #[test]
    fn unknown_keys_inside_thresholds_and_sheets_are_refused() {
        assert!(Settings::parse(
            "[actions]\non_time_thresholds = { green = 0.9, amber = 0.75, red = 0.5 }"
        )
        .is_err());
        assert!(
            Settings::parse("[[sheets]]\nfile = \"x\"\nkind = \"actions\"\nsheeet = \"B\"")
                .is_err()
        );
    }

    #[test]
    fn the_configuration_docs_point_to_the_example() {
        let docs = include_str!("../../docs/configuration.md");
        assert!(docs.contains("(scoreboard.example.toml)"));
        assert!(docs.contains("scoreboard config --example"));
    }
}
