//! The table kinds of the spec, declared as data: columns, their value type, required set and
//! aliases in Dutch, French and English. A new kind is one more entry here, nothing else.

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
    /// Header texts that name it (normalised before comparing).
    pub aliases: &'static [&'static str],
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
    /// Required columns whose cell may be empty or unreadable without losing the row
    /// (an action without a readable deadline is still an action: it is `undated`).
    pub lenient: &'static [&'static str],
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

const fn col(
    name: &'static str,
    value: ValueType,
    required: bool,
    aliases: &'static [&'static str],
) -> ColumnDef {
    ColumnDef {
        name,
        value,
        required,
        aliases,
    }
}

use ValueType::*;

const OWNER: &[&str] = &[
    "Verantwoordelijke directie",
    "Directie",
    "Dienst",
    "Verantwoordelijke",
    "Direction responsable",
    "Direction",
    "Service",
    "Responsable",
    "Owner",
    "Responsible",
    "Directorate",
    "Department",
];
// "Direction" is the polarity's English alias in indicator sheets, so owners there use the rest.
const INDICATOR_OWNER: &[&str] = &[
    "Verantwoordelijke directie",
    "Directie",
    "Dienst",
    "Verantwoordelijke",
    "Direction responsable",
    "Service",
    "Responsable",
    "Owner",
    "Responsible",
    "Directorate",
    "Department",
];
const OBJECTIVE: &[&str] = &[
    "Doelstelling",
    "Strategische doelstelling",
    "Operationele doelstelling",
    "Objectif",
    "Objectif stratégique",
    "Objectif opérationnel",
    "Objective",
    "Strategic objective",
    "Operational objective",
];
const UNIT: &[&str] = &[
    "Directie",
    "Dienst",
    "Direction",
    "Service",
    "Unit",
    "Department",
    "Afdeling",
];
const MONTH: &[&str] = &["Maand", "Periode", "Mois", "Période", "Month", "Period"];
const PERIOD: &[&str] = &[
    "Periode", "Maand", "Jaar", "Période", "Mois", "Année", "Period", "Month", "Year",
];
const FTE: &[&str] = &["VTE", "ETP", "FTE"];
const CHANNEL: &[&str] = &["Kanaal", "Dienst", "Canal", "Channel", "Service"];

/// Every table kind, in the order ties are broken.
pub const KINDS: &[KindDef] = &[
    KindDef {
        name: "actions",
        columns: &[
            col(
                "action_id",
                Id,
                true,
                &[
                    "Actie-ID",
                    "ID actie",
                    "Actienummer",
                    "Actie nr",
                    "Code",
                    "ID action",
                    "N° action",
                    "Code action",
                    "Action ID",
                    "Action no",
                    "ID",
                ],
            ),
            col(
                "title",
                Text,
                false,
                &[
                    "Actie",
                    "Omschrijving",
                    "Beschrijving",
                    "Titel",
                    "Action",
                    "Description",
                    "Intitulé",
                    "Title",
                    "Action name",
                ],
            ),
            col("objective", Text, false, OBJECTIVE),
            col(
                "measure_point",
                Text,
                false,
                &[
                    "Meetpunt",
                    "Point de mesure",
                    "Indicateur de suivi",
                    "Measure point",
                    "Milestone",
                ],
            ),
            col(
                "indicator",
                Text,
                false,
                &[
                    "Indicator",
                    "Indicatoren",
                    "Indicateur",
                    "Indicateurs",
                    "KPI",
                ],
            ),
            col("owner", Text, false, OWNER),
            col(
                "deadline",
                Deadline,
                true,
                &[
                    "Deadline",
                    "Tijdschema",
                    "Einddatum",
                    "Streefdatum",
                    "Échéance",
                    "Date limite",
                    "Échéancier",
                    "Due date",
                    "Timeline",
                ],
            ),
            col(
                "completed_on",
                Date,
                false,
                &[
                    "Datum afgewerkt",
                    "Gerealiseerd op",
                    "Datum realisatie",
                    "Date de réalisation",
                    "Réalisé le",
                    "Date de clôture",
                    "Completed on",
                    "Completion date",
                    "Done on",
                ],
            ),
            col(
                "status",
                Status,
                true,
                &["Status", "Stand van zaken", "Statut", "État", "State"],
            ),
            col(
                "progress",
                Percent,
                false,
                &[
                    "Voortgang",
                    "Vooruitgang",
                    "Avancement",
                    "Progression",
                    "Progress",
                    "% complete",
                ],
            ),
            col(
                "baseline_deadline",
                Deadline,
                false,
                &[
                    "Oorspronkelijke deadline",
                    "Initiële deadline",
                    "Échéance initiale",
                    "Original deadline",
                    "Baseline deadline",
                ],
            ),
            col(
                "report_date",
                Date,
                false,
                &[
                    "Rapportdatum",
                    "Datum rapport",
                    "Date du rapport",
                    "Report date",
                    "As of",
                ],
            ),
        ],
        one_of: &[],
        lenient: &["deadline", "status"],
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
                &[
                    "Werkbare dagen",
                    "Beschikbare dagen",
                    "Jours ouvrables",
                    "Jours disponibles",
                    "Workable days",
                    "Available days",
                ],
            ),
            col("fte", Number, false, FTE),
            col(
                "sick_days",
                Number,
                true,
                &[
                    "Ziektedagen",
                    "Afwezigheidsdagen",
                    "Jours de maladie",
                    "Jours d'absence",
                    "Sick days",
                    "Absence days",
                ],
            ),
            col(
                "spells",
                Number,
                false,
                &[
                    "Aantal periodes",
                    "Aantal afwezigheden",
                    "Nombre d'absences",
                    "Épisodes",
                    "Spells",
                    "Absence spells",
                ],
            ),
        ],
        one_of: &[&["workable_days", "fte"]],
        lenient: &[],
    },
    KindDef {
        name: "absence_spells",
        columns: &[
            col(
                "employee_id",
                Id,
                true,
                &["Personeelsnummer", "Stamnummer", "Matricule", "Employee ID"],
            ),
            col("unit", Text, true, UNIT),
            col(
                "start",
                Date,
                true,
                &[
                    "Begindatum",
                    "Van",
                    "Date de début",
                    "Du",
                    "Start date",
                    "From",
                ],
            ),
            col(
                "end",
                Date,
                false,
                &["Einddatum", "Tot", "Date de fin", "Au", "End date", "To"],
            ),
            col("type", Text, false, &["Type", "Soort", "Motif", "Reason"]),
            col(
                "fraction",
                Percent,
                false,
                &[
                    "Fractie",
                    "Prestatiebreuk",
                    "Fraction",
                    "Régime",
                    "Work fraction",
                ],
            ),
        ],
        one_of: &[],
        lenient: &[],
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
                &["Aantal personeelsleden", "Effectif", "Headcount"],
            ),
        ],
        one_of: &[],
        lenient: &[],
    },
    KindDef {
        name: "indicators",
        columns: &[
            col(
                "indicator",
                Text,
                true,
                &["Indicator", "Meetpunt", "KPI", "Indicateur", "Measure"],
            ),
            col("period", Period, true, PERIOD),
            col(
                "actual",
                Number,
                true,
                &[
                    "Resultaat",
                    "Gerealiseerd",
                    "Waarde",
                    "Résultat",
                    "Réalisé",
                    "Valeur",
                    "Actual",
                    "Value",
                    "Result",
                ],
            ),
            col(
                "target",
                Number,
                false,
                &["Streefwaarde", "Doel", "Valeur cible", "Cible", "Target"],
            ),
            col(
                "polarity",
                Polarity,
                false,
                &[
                    "Richting",
                    "Polariteit",
                    "Sens",
                    "Polarité",
                    "Polarity",
                    "Direction",
                ],
            ),
            col("objective", Text, false, OBJECTIVE),
            col("owner", Text, false, INDICATOR_OWNER),
            col(
                "unit_of_measure",
                Text,
                false,
                &["Eenheid", "Unité", "Unit of measure"],
            ),
        ],
        one_of: &[],
        lenient: &[],
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
                &[
                    "Aantal antwoorden",
                    "Respondenten",
                    "Nombre de réponses",
                    "Répondants",
                    "Responses",
                ],
            ),
            col(
                "satisfied",
                Number,
                true,
                &["Tevreden", "Aantal tevreden", "Satisfaits", "Satisfied"],
            ),
        ],
        one_of: &[],
        lenient: &[],
    },
    KindDef {
        name: "satisfaction_scores",
        columns: &[
            col("period", Period, true, PERIOD),
            col(
                "score",
                Text,
                true,
                &["Score", "Tevredenheidsscore", "Note", "Rating"],
            ),
            col("channel", Text, false, CHANNEL),
            col("scale", Number, false, &["Schaal", "Échelle", "Scale"]),
        ],
        one_of: &[],
        lenient: &["score"],
    },
    KindDef {
        name: "proposals",
        columns: &[
            col(
                "proposal_id",
                Id,
                true,
                &["Voorstel-ID", "Nummer", "ID proposition", "Proposal ID"],
            ),
            col(
                "title",
                Text,
                false,
                &[
                    "Titel",
                    "Voorstel",
                    "Omschrijving",
                    "Titre",
                    "Intitulé",
                    "Proposition",
                    "Title",
                    "Proposal",
                ],
            ),
            col(
                "submitted_on",
                Date,
                true,
                &[
                    "Ingediend op",
                    "Datum indiening",
                    "Soumis le",
                    "Date de soumission",
                    "Submitted on",
                ],
            ),
            col("smart", YesNo, false, &["SMART"]),
            col(
                "planned_savings",
                Number,
                false,
                &["Geplande besparing", "Économie prévue", "Planned savings"],
            ),
            col(
                "realised_savings",
                Number,
                false,
                &[
                    "Gerealiseerde besparing",
                    "Économie réalisée",
                    "Realised savings",
                    "Realized savings",
                ],
            ),
            col(
                "status",
                Text,
                false,
                &["Status", "Statut", "État", "State"],
            ),
        ],
        one_of: &[],
        lenient: &[],
    },
];
