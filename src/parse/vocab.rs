//! Closed vocabularies in three languages: action statuses, yes/no answers, indicator polarity.
//! Matching is on normalised text (case- and accent-insensitive).

use super::normalize;
use crate::model::{Polarity, Status};

const STATUSES: &[(&str, Status)] = &[
    // not_started
    ("niet gestart", Status::NotStarted),
    ("nog niet gestart", Status::NotStarted),
    ("niet begonnen", Status::NotStarted),
    ("te starten", Status::NotStarted),
    ("te doen", Status::NotStarted),
    ("gepland", Status::NotStarted),
    ("non commence", Status::NotStarted),
    ("pas commence", Status::NotStarted),
    ("a demarrer", Status::NotStarted),
    ("a faire", Status::NotStarted),
    ("prevu", Status::NotStarted),
    ("not started", Status::NotStarted),
    ("to do", Status::NotStarted),
    ("todo", Status::NotStarted),
    ("planned", Status::NotStarted),
    // in_progress
    ("lopend", Status::InProgress),
    ("lopende", Status::InProgress),
    ("in uitvoering", Status::InProgress),
    ("bezig", Status::InProgress),
    ("gestart", Status::InProgress),
    ("in behandeling", Status::InProgress),
    ("en cours", Status::InProgress),
    ("en cours de realisation", Status::InProgress),
    ("demarre", Status::InProgress),
    ("in progress", Status::InProgress),
    ("ongoing", Status::InProgress),
    ("started", Status::InProgress),
    // done
    ("afgewerkt", Status::Done),
    ("afgerond", Status::Done),
    ("gerealiseerd", Status::Done),
    ("voltooid", Status::Done),
    ("uitgevoerd", Status::Done),
    ("klaar", Status::Done),
    ("beeindigd", Status::Done),
    ("termine", Status::Done),
    ("terminee", Status::Done),
    ("realise", Status::Done),
    ("realisee", Status::Done),
    ("cloture", Status::Done),
    ("cloturee", Status::Done),
    ("acheve", Status::Done),
    ("achevee", Status::Done),
    ("finalise", Status::Done),
    ("done", Status::Done),
    ("completed", Status::Done),
    ("complete", Status::Done),
    ("finished", Status::Done),
    ("closed", Status::Done),
    // cancelled
    ("geannuleerd", Status::Cancelled),
    ("geschrapt", Status::Cancelled),
    ("stopgezet", Status::Cancelled),
    ("annule", Status::Cancelled),
    ("annulee", Status::Cancelled),
    ("abandonne", Status::Cancelled),
    ("abandonnee", Status::Cancelled),
    ("cancelled", Status::Cancelled),
    ("canceled", Status::Cancelled),
    ("dropped", Status::Cancelled),
    // postponed
    ("uitgesteld", Status::Postponed),
    ("on hold", Status::Postponed),
    ("opgeschort", Status::Postponed),
    ("on hold gezet", Status::Postponed),
    ("reporte", Status::Postponed),
    ("reportee", Status::Postponed),
    ("suspendu", Status::Postponed),
    ("suspendue", Status::Postponed),
    ("en attente", Status::Postponed),
    ("postponed", Status::Postponed),
    ("deferred", Status::Postponed),
];

/// Reads an action status in Dutch, French or English; `None` for text nobody recognises.
/// An empty cell is not handled here: the caller decides from the completion date.
pub fn parse_status(text: &str) -> Option<Status> {
    let n = normalize(text);
    STATUSES
        .iter()
        .find(|(word, _)| *word == n)
        .map(|(_, s)| *s)
}

/// Reads yes/no in three languages (`ja/nee`, `oui/non`, `yes/no`, `j/n`, `o/n`, `y/n`,
/// `x`, `true/false`, `1/0`). Empty text gives `None`; unknown text gives `Err(())`.
#[allow(clippy::result_unit_err)]
pub fn parse_yes_no(text: &str) -> Result<Option<bool>, ()> {
    match normalize(text).as_str() {
        "" => Ok(None),
        "ja" | "j" | "oui" | "o" | "yes" | "y" | "x" | "true" | "waar" | "vrai" | "1" | "ok" => {
            Ok(Some(true))
        }
        "nee" | "neen" | "n" | "non" | "no" | "false" | "onwaar" | "faux" | "0" => Ok(Some(false)),
        _ => Err(()),
    }
}

/// Reads an indicator's polarity; arrows count (`↑`, `↓`). `None` for unknown text.
pub fn parse_polarity(text: &str) -> Option<Polarity> {
    let t = text.trim();
    if t.contains('↑') {
        return Some(Polarity::Higher);
    }
    if t.contains('↓') {
        return Some(Polarity::Lower);
    }
    match normalize(t).as_str() {
        "hoger is beter" | "hoger" | "stijgend" | "plus eleve" | "hausse" | "higher is better"
        | "higher" | "up" | "max" | "maximaliseren" | "maximiser" | "maximise" | "maximize" => {
            Some(Polarity::Higher)
        }
        "lager is beter" | "lager" | "dalend" | "plus bas" | "baisse" | "lower is better"
        | "lower" | "down" | "min" | "minimaliseren" | "minimiser" | "minimise" | "minimize" => {
            Some(Polarity::Lower)
        }
        _ => None,
    }
}

/// "No opinion" answers of a satisfaction survey: left out of the denominator, not an issue.
pub const NO_OPINION: &[&str] = &[
    "geen mening",
    "sans avis",
    "n a",
    "nvt",
    "na",
    "no opinion",
    "sans opinion",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_in_three_languages() {
        let cases = [
            ("Niet gestart", Status::NotStarted),
            ("Nog niet gestart", Status::NotStarted),
            ("Te starten", Status::NotStarted),
            ("Non commencé", Status::NotStarted),
            ("Pas commencé", Status::NotStarted),
            ("À démarrer", Status::NotStarted),
            ("Not started", Status::NotStarted),
            ("To do", Status::NotStarted),
            ("Lopend", Status::InProgress),
            ("In uitvoering", Status::InProgress),
            ("Bezig", Status::InProgress),
            ("En cours", Status::InProgress),
            ("In progress", Status::InProgress),
            ("Ongoing", Status::InProgress),
            ("Started", Status::InProgress),
            ("Afgewerkt", Status::Done),
            ("Gerealiseerd", Status::Done),
            ("Voltooid", Status::Done),
            ("Uitgevoerd", Status::Done),
            ("Klaar", Status::Done),
            ("Terminé", Status::Done),
            ("Réalisé", Status::Done),
            ("Clôturé", Status::Done),
            ("Achevé", Status::Done),
            ("Done", Status::Done),
            ("Completed", Status::Done),
            ("Finished", Status::Done),
            ("Closed", Status::Done),
            ("Geannuleerd", Status::Cancelled),
            ("Geschrapt", Status::Cancelled),
            ("Annulé", Status::Cancelled),
            ("Abandonné", Status::Cancelled),
            ("Cancelled", Status::Cancelled),
            ("Canceled", Status::Cancelled),
            ("Dropped", Status::Cancelled),
            ("Uitgesteld", Status::Postponed),
            ("On hold", Status::Postponed),
            ("Opgeschort", Status::Postponed),
            ("Reporté", Status::Postponed),
            ("Suspendu", Status::Postponed),
            ("Postponed", Status::Postponed),
            ("Deferred", Status::Postponed),
            ("  AFGEWERKT ", Status::Done),
            ("TERMINE", Status::Done),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_status(text), Some(expected), "input {text:?}");
        }
        assert_eq!(parse_status("bijna klaar"), None);
        assert_eq!(parse_status(""), None);
    }

    #[test]
    fn yes_no_answers() {
        for t in [
            "ja", "Ja", "oui", "yes", "j", "o", "y", "x", "X", "true", "1",
        ] {
            assert_eq!(parse_yes_no(t), Ok(Some(true)), "input {t:?}");
        }
        for t in ["nee", "non", "no", "n", "false", "0", "Neen"] {
            assert_eq!(parse_yes_no(t), Ok(Some(false)), "input {t:?}");
        }
        assert_eq!(parse_yes_no(""), Ok(None));
        assert_eq!(parse_yes_no("misschien"), Err(()));
    }

    #[test]
    fn polarity_words_and_arrows() {
        for t in [
            "hoger is beter",
            "stijgend",
            "↑",
            "plus élevé",
            "hausse",
            "Higher is better",
            "up",
            "max",
        ] {
            assert_eq!(parse_polarity(t), Some(Polarity::Higher), "input {t:?}");
        }
        for t in [
            "lager is beter",
            "dalend",
            "↓",
            "plus bas",
            "baisse",
            "lower is better",
            "down",
            "min",
        ] {
            assert_eq!(parse_polarity(t), Some(Polarity::Lower), "input {t:?}");
        }
        assert_eq!(parse_polarity("sideways"), None);
    }
}
