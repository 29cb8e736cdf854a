//! The KPI table for BI tools: csv, parquet or json, chosen by the file extension, written with
//! polars' own writers and saved atomically.

use super::save_atomically;
use crate::config::{KpiExport, KpiFormat};
use crate::error::RunError;
use crate::kpi::{kpi_frame, KpiRow};
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
    let mut df = kpi_frame(rows)?;
    let mut buf: Vec<u8> = Vec::new();
    let written = match export.format {
        KpiFormat::Csv => CsvWriter::new(&mut buf)
            .include_header(true)
            .finish(&mut df),
        KpiFormat::Parquet => ParquetWriter::new(&mut buf).finish(&mut df).map(|_| ()),
        KpiFormat::Json => JsonWriter::new(&mut buf)
            .with_json_format(JsonFormat::Json)
            .finish(&mut df),
    };
    written.map_err(|e| failed(format!("cannot encode the KPI table: {e}")))?;
    save_atomically(&export.path, &buf).map_err(|e| failed(e.to_string()))
}
