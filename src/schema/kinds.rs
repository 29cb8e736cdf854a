//! The table kinds of the spec, declared as data: columns, their value type, required set and
//! aliases in Dutch, French and English. A new kind is one more entry here, nothing else.

use crate::model::Lang;

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// An identifier: text, or a whole number written without decimals.
    Id,
    /// Free text.
    Text,
    /// A calendar date.
    Date,
    /// A deadline (date, period, continuous, recurring, end of mandate).
    Deadline,
    /// A reporting period (month, quarter, year).
    Period,
    /// A number.
    Number,
    /// A percentage or fraction, stored as 0..1.
    Percent,
    /// An action status.
    Status,
    /// Higher or lower is better.
    Polarity,
    /// Yes or no.
    YesNo,
}

/// One column of a table kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnDef {
    /// Canonical name, used in data sheets and exports.
    pub name: &'static str,
    /// How cells are read.
    pub value: ValueType,
    /// Whether the header must have it for the sheet to be of this kind.
    pub required: bool,
    /// Header texts that name it, per language (normalised before comparing). The first of
    /// each language is the header of the input template, and how messages name the column to
    /// a directorate writing in that language.
    pub aliases: Aliases,
}

/// A kind of table the tool recognises by its header row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KindDef {
    /// Canonical name (`actions`, `absence_monthly`, …).
    pub name: &'static str,
    /// Its columns, in the order data sheets show them.
    pub columns: &'static [ColumnDef],
    /// Groups of columns of which at least one must be present (e.g. workable days or FTE).
    pub one_of: &'static [&'static [&'static str]],
    /// Required columns whose cell may be unreadable without losing the row (an action
    /// without a readable deadline is still an action: it is `undated`).
    pub lenient: &'static [&'static str],
    /// Required columns whose empty cell does not cost the row, and what it costs instead;
    /// an empty cell of any other required column is an error and the row is left out.
    pub if_empty: &'static [(&'static str, IfEmpty)],
}

/// What an empty cell of a required column does to its row (spec §2, "Required cells").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfEmpty {
    /// A warning at the cell (the catalogue's reason key); the row is kept with a stated
    /// default. Not raised when the row has a value in `unless` (an empty status with a
    /// completion date is done, as the template says).
    Warn {
        /// The reason's catalogue key.
        reason: &'static str,
        /// A column whose value makes the empty cell no problem.
        unless: Option<&'static str>,
    },
    /// An info note at the cell (the catalogue's reason key); the row is kept.
    Note(&'static str),
    /// Nothing to say: an empty cell is a valid answer (a "no opinion" score).
    Fine,
}

/// The header texts of a column in each language the tool reads. A text may stand in several
/// (`Status` is Dutch and English); those that stand in one tell the language of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aliases {
    /// Dutch.
    pub nl: &'static [&'static str],
    /// French.
    pub fr: &'static [&'static str],
    /// English.
    pub en: &'static [&'static str],
}

impl Aliases {
    /// Every alias with its language.
    pub fn all(&self) -> impl Iterator<Item = (Lang, &'static str)> + '_ {
        let tag = |lang: Lang, list: &'static [&'static str]| list.iter().map(move |a| (lang, *a));
        tag(Lang::Nl, self.nl)
            .chain(tag(Lang::Fr, self.fr))
            .chain(tag(Lang::En, self.en))
    }

    /// How a directorate writing in `lang` names the column (the template's header).
    pub fn header(&self, lang: Lang) -> Option<&'static str> {
        match lang {
            Lang::Nl => self.nl.first(),
            Lang::Fr => self.fr.first(),
            Lang::En => self.en.first(),
        }
        .copied()
    }
}

impl KindDef {
    /// Index of a column by canonical name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// A handle on one column of one table kind, for code that reads consolidated rows. Made by
/// [`column`] in a `const` item, so a misspelt kind or column fails the build instead of
/// reading as "empty" at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    /// The kind's name.
    pub kind: &'static str,
    /// Index into the kind's columns (and into each typed row's values).
    pub index: usize,
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The handle of column `name` of kind `kind`. Use it only to define `const` items: evaluated
/// at compile time, an unknown kind or column is a build error.
pub const fn column(kind: &str, name: &str) -> Col {
    let mut k = 0;
    while k < KINDS.len() {
        let def = &KINDS[k];
        if same(def.name, kind) {
            let mut c = 0;
            while c < def.columns.len() {
                if same(def.columns[c].name, name) {
                    return Col {
                        kind: def.name,
                        index: c,
                    };
                }
                c += 1;
            }
            panic!("unknown column for this table kind");
        }
        k += 1;
    }
    panic!("unknown table kind")
}

const fn col(name: &'static str, value: ValueType, required: bool, aliases: Aliases) -> ColumnDef {
    ColumnDef {
        name,
        value,
        required,
        aliases,
    }
}

use ValueType::*;

const fn al(
    nl: &'static [&'static str],
    fr: &'static [&'static str],
    en: &'static [&'static str],
) -> Aliases {
    Aliases { nl, fr, en }
}

const OWNER: Aliases = al(
    &[
        "Verantwoordelijke directie",
        "Directie",
        "Dienst",
        "Verantwoordelijke",
    ],
    &[
        "Direction responsable",
        "Direction",
        "Service",
        "Responsable",
    ],
    &["Owner", "Responsible", "Directorate", "Department"],
);
// "Direction" is the polarity's English alias in indicator sheets, so owners there use the rest.
const INDICATOR_OWNER: Aliases = al(
    &[
        "Verantwoordelijke directie",
        "Directie",
        "Dienst",
        "Verantwoordelijke",
    ],
    &["Direction responsable", "Service", "Responsable"],
    &["Owner", "Responsible", "Directorate", "Department"],
);
const OBJECTIVE: Aliases = al(
    &[
        "Operationele doelstelling",
        "Doelstelling",
        "Strategische doelstelling",
    ],
    &["Objectif opérationnel", "Objectif", "Objectif stratégique"],
    &["Operational objective", "Objective", "Strategic objective"],
);
const UNIT: Aliases = al(
    &["Directie", "Dienst", "Afdeling"],
    &["Direction", "Service"],
    &["Unit", "Department"],
);
const MONTH: Aliases = al(
    &["Maand", "Periode"],
    &["Mois", "Période"],
    &["Month", "Period"],
);
const PERIOD: Aliases = al(
    &["Periode", "Maand", "Jaar"],
    &["Période", "Mois", "Année"],
    &["Period", "Month", "Year"],
);
const FTE: Aliases = al(&["VTE"], &["ETP"], &["FTE"]);
const CHANNEL: Aliases = al(
    &["Kanaal", "Dienst"],
    &["Canal", "Service"],
    &["Channel", "Service"],
);

/// Every table kind, in the order ties are broken.
pub const KINDS: &[KindDef] = &[
    KindDef {
        name: "actions",
        columns: &[
            col(
                "action_id",
                Id,
                true,
                al(
                    &[
                        "Actie-ID",
                        "ID actie",
                        "Actienummer",
                        "Actie nr",
                        "Code",
                        "ID",
                    ],
                    &["ID action", "N° action", "Code action", "ID"],
                    &["Action ID", "Action no", "ID"],
                ),
            ),
            col(
                "title",
                Text,
                false,
                al(
                    &["Omschrijving", "Actie", "Beschrijving", "Titel"],
                    &["Description", "Action", "Intitulé"],
                    &["Description", "Title", "Action name"],
                ),
            ),
            col("objective", Text, false, OBJECTIVE),
            col(
                "measure_point",
                Text,
                false,
                al(
                    &["Meetpunt"],
                    &["Point de mesure", "Indicateur de suivi"],
                    &["Measure point", "Milestone"],
                ),
            ),
            col(
                "indicator",
                Text,
                false,
                al(
                    &["Indicator", "Indicatoren", "KPI"],
                    &["Indicateur", "Indicateurs", "KPI"],
                    &["Indicator", "KPI"],
                ),
            ),
            col("owner", Text, false, OWNER),
            col(
                "deadline",
                Deadline,
                true,
                al(
                    &["Deadline", "Tijdschema", "Einddatum", "Streefdatum"],
                    &["Échéance", "Date limite", "Échéancier"],
                    &["Deadline", "Due date", "Timeline"],
                ),
            ),
            col(
                "completed_on",
                Date,
                false,
                al(
                    &["Datum afgewerkt", "Gerealiseerd op", "Datum realisatie"],
                    &["Date de réalisation", "Réalisé le", "Date de clôture"],
                    &["Completed on", "Completion date", "Done on"],
                ),
            ),
            col(
                "status",
                Status,
                true,
                al(
                    &["Status", "Stand van zaken"],
                    &["Statut", "État"],
                    &["Status", "State"],
                ),
            ),
            col(
                "progress",
                Percent,
                false,
                al(
                    &["Voortgang", "Vooruitgang"],
                    &["Avancement", "Progression"],
                    &["Progress", "% complete"],
                ),
            ),
            col(
                "baseline_deadline",
                Deadline,
                false,
                al(
                    &["Oorspronkelijke deadline", "Initiële deadline"],
                    &["Échéance initiale"],
                    &["Original deadline", "Baseline deadline"],
                ),
            ),
            col(
                "report_date",
                Date,
                false,
                al(
                    &["Rapportdatum", "Datum rapport"],
                    &["Date du rapport"],
                    &["Report date", "As of"],
                ),
            ),
        ],
        one_of: &[],
        lenient: &["deadline", "status"],
        if_empty: &[
            (
                "deadline",
                IfEmpty::Warn {
                    reason: "deadline_empty",
                    unless: None,
                },
            ),
            (
                "status",
                IfEmpty::Warn {
                    reason: "status_empty",
                    unless: Some("completed_on"),
                },
            ),
        ],
    },
    KindDef {
        name: "absence_monthly",
        columns: &[
            col("unit", Text, true, UNIT),
            col("month", Period, true, MONTH),
            col(
                "workable_days",
                Number,
                false,
                al(
                    &["Werkbare dagen", "Beschikbare dagen"],
                    &["Jours ouvrables", "Jours disponibles"],
                    &["Workable days", "Available days"],
                ),
            ),
            col("fte", Number, false, FTE),
            col(
                "sick_days",
                Number,
                true,
                al(
                    &["Ziektedagen", "Afwezigheidsdagen"],
                    &["Jours de maladie", "Jours d'absence"],
                    &["Sick days", "Absence days"],
                ),
            ),
            col(
                "spells",
                Number,
                false,
                al(
                    &["Aantal periodes", "Aantal afwezigheden"],
                    &["Nombre d'absences", "Épisodes"],
                    &["Spells", "Absence spells"],
                ),
            ),
        ],
        one_of: &[&["workable_days", "fte"]],
        lenient: &[],
        if_empty: &[(
            "sick_days",
            IfEmpty::Warn {
                reason: "empty_left_out_of_rates",
                unless: None,
            },
        )],
    },
    KindDef {
        name: "absence_spells",
        columns: &[
            col(
                "employee_id",
                Id,
                true,
                al(
                    &["Personeelsnummer", "Stamnummer"],
                    &["Matricule"],
                    &["Employee ID"],
                ),
            ),
            col("unit", Text, true, UNIT),
            col(
                "start",
                Date,
                true,
                al(
                    &["Begindatum", "Van"],
                    &["Date de début", "Du"],
                    &["Start date", "From"],
                ),
            ),
            col(
                "end",
                Date,
                false,
                al(
                    &["Einddatum", "Tot"],
                    &["Date de fin", "Au"],
                    &["End date", "To"],
                ),
            ),
            col(
                "type",
                Text,
                false,
                al(&["Soort", "Type"], &["Motif", "Type"], &["Reason", "Type"]),
            ),
            col(
                "fraction",
                Percent,
                false,
                al(
                    &["Prestatiebreuk", "Fractie"],
                    &["Fraction", "Régime"],
                    &["Work fraction"],
                ),
            ),
        ],
        one_of: &[],
        lenient: &[],
        if_empty: &[],
    },
    KindDef {
        name: "headcount",
        columns: &[
            col("unit", Text, true, UNIT),
            col("month", Period, true, MONTH),
            col("fte", Number, true, FTE),
            col(
                "persons",
                Number,
                false,
                al(&["Aantal personeelsleden"], &["Effectif"], &["Headcount"]),
            ),
        ],
        one_of: &[],
        lenient: &[],
        if_empty: &[(
            "fte",
            IfEmpty::Warn {
                reason: "empty_left_out_of_rates",
                unless: None,
            },
        )],
    },
    KindDef {
        name: "indicators",
        columns: &[
            col(
                "indicator",
                Text,
                true,
                al(
                    &["Meetpunt", "Indicator", "KPI"],
                    &["Indicateur", "KPI"],
                    &["Indicator", "Measure", "KPI"],
                ),
            ),
            col("period", Period, true, PERIOD),
            col(
                "actual",
                Number,
                true,
                al(
                    &["Resultaat", "Gerealiseerd", "Waarde"],
                    &["Résultat", "Réalisé", "Valeur"],
                    &["Actual", "Value", "Result"],
                ),
            ),
            col(
                "target",
                Number,
                false,
                al(
                    &["Streefwaarde", "Doel"],
                    &["Valeur cible", "Cible"],
                    &["Target"],
                ),
            ),
            col(
                "polarity",
                Polarity,
                false,
                al(
                    &["Richting", "Polariteit"],
                    &["Sens", "Polarité"],
                    &["Polarity", "Direction"],
                ),
            ),
            col("objective", Text, false, OBJECTIVE),
            col("owner", Text, false, INDICATOR_OWNER),
            col(
                "unit_of_measure",
                Text,
                false,
                al(&["Eenheid"], &["Unité"], &["Unit of measure"]),
            ),
        ],
        one_of: &[],
        lenient: &[],
        if_empty: &[("actual", IfEmpty::Note("not_measured_yet"))],
    },
    KindDef {
        name: "satisfaction",
        columns: &[
            col("channel", Text, false, CHANNEL),
            col("period", Period, true, PERIOD),
            col(
                "responses",
                Number,
                true,
                al(
                    &["Aantal antwoorden", "Respondenten"],
                    &["Nombre de réponses", "Répondants"],
                    &["Responses"],
                ),
            ),
            col(
                "satisfied",
                Number,
                true,
                al(
                    &["Tevreden", "Aantal tevreden"],
                    &["Satisfaits"],
                    &["Satisfied"],
                ),
            ),
        ],
        one_of: &[],
        lenient: &[],
        if_empty: &[],
    },
    KindDef {
        name: "satisfaction_scores",
        columns: &[
            col("period", Period, true, PERIOD),
            col(
                "score",
                Text,
                true,
                al(
                    &["Tevredenheidsscore", "Score"],
                    &["Note", "Score"],
                    &["Rating", "Score"],
                ),
            ),
            col("channel", Text, false, CHANNEL),
            col(
                "scale",
                Number,
                false,
                al(&["Schaal"], &["Échelle"], &["Scale"]),
            ),
        ],
        one_of: &[],
        lenient: &["score"],
        if_empty: &[("score", IfEmpty::Fine)],
    },
    KindDef {
        name: "proposals",
        columns: &[
            col(
                "proposal_id",
                Id,
                true,
                al(
                    &["Voorstel-ID", "Nummer"],
                    &["ID proposition"],
                    &["Proposal ID"],
                ),
            ),
            col(
                "title",
                Text,
                false,
                al(
                    &["Titel", "Voorstel", "Omschrijving"],
                    &["Titre", "Intitulé", "Proposition"],
                    &["Title", "Proposal"],
                ),
            ),
            col(
                "submitted_on",
                Date,
                true,
                al(
                    &["Ingediend op", "Datum indiening"],
                    &["Soumis le", "Date de soumission"],
                    &["Submitted on"],
                ),
            ),
            col(
                "smart",
                YesNo,
                false,
                al(&["SMART"], &["SMART"], &["SMART"]),
            ),
            col(
                "planned_savings",
                Number,
                false,
                al(
                    &["Geplande besparing"],
                    &["Économie prévue"],
                    &["Planned savings"],
                ),
            ),
            col(
                "realised_savings",
                Number,
                false,
                al(
                    &["Gerealiseerde besparing"],
                    &["Économie réalisée"],
                    &["Realised savings", "Realized savings"],
                ),
            ),
            col(
                "status",
                Text,
                false,
                al(&["Status"], &["Statut", "État"], &["Status", "State"]),
            ),
        ],
        one_of: &[],
        lenient: &[],
        if_empty: &[],
    },
];
