//! The KPI table for BI tools: csv, parquet or json, chosen by the file extension, written with
//! polars' own writers and saved atomically.

use super::save_atomically;
use crate::config::{KpiExport, KpiFormat};
use crate::error::RunError;
use crate::kpi::{kpi_frame, KpiRow};
use crate::options::{guard_text, Decimal};
use polars::prelude::*;

/// Writes the KPI table in the export's format (validated with the run configuration).
///
/// # Errors
/// [`RunError::Write`] when the table cannot be encoded or saved.
pub fn write_kpi_export(export: &KpiExport, rows: &[KpiRow]) -> Result<(), RunError> {
    let failed = |detail: String| RunError::Write {
        path: export.path.clone(),
        detail,
    };
    let mut df = match export.format {
        KpiFormat::Csv => kpi_frame(&defused(rows))?,
        KpiFormat::Parquet | KpiFormat::Json => kpi_frame(rows)?,
    };
    let mut buf: Vec<u8> = Vec::new();
    let written = match export.format {
        KpiFormat::Csv => CsvWriter::new(&mut buf)
            .include_header(true)
            .with_separator(export.csv.sep)
            .include_bom(export.csv.bom)
            .with_decimal_comma(export.csv.decimal == Decimal::Comma)
            .finish(&mut df),
        KpiFormat::Parquet => ParquetWriter::new(&mut buf).finish(&mut df).map(|_| ()),
        KpiFormat::Json => JsonWriter::new(&mut buf)
            .with_json_format(JsonFormat::Json)
            .finish(&mut df),
    };
    written.map_err(|e| failed(format!("cannot encode the KPI table: {e}")))?;
    save_atomically(&export.path, &buf).map_err(|e| failed(e.to_string()))
}

/// The rows with every text taken from the inputs (a group's key: a directorate, a channel)
/// made safe for a spreadsheet that opens the CSV: text that Excel or LibreOffice would run as
/// a formula (`=1+1`, `+cmd`, `-2+3`, `@SUM(A1)`, a leading tab or carriage return; OWASP's
/// CSV-injection advice) or turn into a date (`4/5`) gets a leading `'`, which they show as
/// text (`options::guard_text`, as `convert` writes CSV). The tool's own fields (ids, the
/// period `2025-03`, the key of the `deadline_month` scope, a month it made) are left as they
/// are. Parquet and JSON are read as data, never as formulas, and keep the text as it came.
fn defused(rows: &[KpiRow]) -> Vec<KpiRow> {
    rows.iter()
        .map(|r| {
            let mut r = r.clone();
            if r.scope == "deadline_month" {
                return r;
            }
            if let std::borrow::Cow::Owned(guarded) = guard_text(&r.key) {
                r.key = guarded;
            }
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_text_that_looks_like_a_formula_is_shown_as_text_in_csv() {
        let row = |key: &str| KpiRow {
            kpi: crate::kpi::Kpi::ActionsOnTimeRate,
            scope: "owner",
            key: key.into(),
            period: "2025-03".into(),
            numerator: None,
            denominator: None,
            value: None,
            status: String::new(),
        };
        let keys: Vec<String> = defused(&[
            row("=1+1"),
            row("+cmd"),
            row("-2+3"),
            row("@SUM(A1)"),
            row("P&O"),
            row("4/5"),
        ])
        .into_iter()
        .map(|r| r.key)
        .collect();
        assert_eq!(
            keys,
            ["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "P&O", "'4/5"]
        );
    }
}
