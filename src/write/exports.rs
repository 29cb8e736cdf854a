//! The KPI table for BI tools: csv, parquet or json, chosen by the file extension, written with
//! polars' own writers and saved atomically.

use super::save_atomically;
use crate::kpi::{kpi_frame, KpiRow};
use polars::prelude::*;
use std::path::Path;

/// Writes the KPI table to `path` as csv, parquet or json (by extension).
///
/// # Errors
/// A message for an unknown extension or a failed write.
pub fn write_kpi_export(path: &Path, rows: &[KpiRow]) -> Result<(), String> {
    let mut df = kpi_frame(rows).map_err(|e| e.to_string())?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut buf: Vec<u8> = Vec::new();
    let written = match ext.as_str() {
        "csv" => CsvWriter::new(&mut buf)
            .include_header(true)
            .finish(&mut df),
        "parquet" => ParquetWriter::new(&mut buf).finish(&mut df).map(|_| ()),
        "json" => JsonWriter::new(&mut buf)
            .with_json_format(JsonFormat::Json)
            .finish(&mut df),
        other => {
            return Err(format!(
                "--kpis: unknown extension `.{other}`; use .csv, .parquet or .json"
            ))
        }
    };
    written.map_err(|e| format!("cannot encode the KPI table: {e}"))?;
    save_atomically(path, &buf).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
