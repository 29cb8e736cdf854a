//! One sheet as Parquet through polars: one typed column per sheet column (Date, Datetime,
//! Int64, Float64, Boolean, else String), written in row groups of [`BATCH_ROWS`] rows so a
//! large sheet never sits whole in memory.

use super::sheet::{cell_text, ColumnType, Table};
use super::ConvertError;
use crate::model::epoch_days;
use crate::read::{RawCell, RawRow};
use polars::prelude::*;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Rows per row group.
const BATCH_ROWS: usize = 65_536;

/// Writes the table to `path`; returns the number of data rows written.
///
/// # Errors
/// A polars or I/O error.
pub(super) fn write(table: &Table, path: &Path) -> Result<u64, ConvertError> {
    let failed = |e: PolarsError| ConvertError::Write(e.to_string());
    let schema: Schema = table
        .columns
        .iter()
        .map(|c| Field::new(c.name.as_str().into(), dtype(c.kind)))
        .collect();
    let mut out = BufWriter::new(std::fs::File::create(path).map_err(ConvertError::io)?);
    let mut rows = 0u64;
    {
        let mut writer = ParquetWriter::new(&mut out)
            .batched(&schema)
            .map_err(failed)?;
        let mut batch: Vec<Values> = table.columns.iter().map(|c| Values::new(c.kind)).collect();
        let mut len = 0usize;
        table.for_each_data_row(|row| {
            push_row(&mut batch, row, table.first_col);
            len += 1;
            rows += 1;
            if len == BATCH_ROWS {
                writer
                    .write_batch(&frame(table, &mut batch, len).map_err(failed)?)
                    .map_err(failed)?;
                len = 0;
            }
            Ok(())
        })?;
        if len > 0 {
            writer
                .write_batch(&frame(table, &mut batch, len).map_err(failed)?)
                .map_err(failed)?;
        }
        writer.finish().map_err(failed)?;
    }
    out.flush().map_err(ConvertError::io)?;
    out.get_ref().sync_all().map_err(ConvertError::io)?;
    Ok(rows)
}

fn dtype(kind: ColumnType) -> DataType {
    match kind {
        ColumnType::Text => DataType::String,
        ColumnType::Int => DataType::Int64,
        ColumnType::Float => DataType::Float64,
        ColumnType::Bool => DataType::Boolean,
        ColumnType::Date => DataType::Date,
        ColumnType::DateTime => DataType::Datetime(TimeUnit::Milliseconds, None),
    }
}

/// The values of one column in the batch being built.
enum Values {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    /// Days since 1970-01-01.
    Date(Vec<Option<i32>>),
    /// Milliseconds since 1970-01-01T00:00.
    DateTime(Vec<Option<i64>>),
}

impl Values {
    fn new(kind: ColumnType) -> Self {
        match kind {
            ColumnType::Text => Values::Text(Vec::new()),
            ColumnType::Int => Values::Int(Vec::new()),
            ColumnType::Float => Values::Float(Vec::new()),
            ColumnType::Bool => Values::Bool(Vec::new()),
            ColumnType::Date => Values::Date(Vec::new()),
            ColumnType::DateTime => Values::DateTime(Vec::new()),
        }
    }

    /// Appends the cell (`None`: an empty cell). The column's type was decided over every
    /// cell, so a typed column only meets its own type.
    fn push(&mut self, cell: Option<&RawCell>) {
        match self {
            Values::Text(v) => v.push(cell.map(cell_text)),
            Values::Int(v) => v.push(match cell {
                Some(RawCell::Number(n)) => Some(*n as i64),
                _ => None,
            }),
            Values::Float(v) => v.push(match cell {
                Some(RawCell::Number(n)) => Some(*n),
                _ => None,
            }),
            Values::Bool(v) => v.push(match cell {
                Some(RawCell::Bool(b)) => Some(*b),
                _ => None,
            }),
            Values::Date(v) => v.push(match cell {
                Some(RawCell::Date(d)) => Some(epoch_days(*d)),
                _ => None,
            }),
            Values::DateTime(v) => v.push(match cell {
                Some(RawCell::Date(d)) => d
                    .and_hms_opt(0, 0, 0)
                    .map(|t| t.and_utc().timestamp_millis()),
                Some(RawCell::DateTime(t)) => Some(t.and_utc().timestamp_millis()),
                _ => None,
            }),
        }
    }

    /// The column, leaving the buffer empty for the next batch.
    fn take(&mut self, name: &str) -> PolarsResult<Column> {
        let name: PlSmallStr = name.into();
        match self {
            Values::Text(v) => Ok(Column::new(name, std::mem::take(v))),
            Values::Int(v) => Ok(Column::new(name, std::mem::take(v))),
            Values::Float(v) => Ok(Column::new(name, std::mem::take(v))),
            Values::Bool(v) => Ok(Column::new(name, std::mem::take(v))),
            Values::Date(v) => Column::new(name, std::mem::take(v)).cast(&DataType::Date),
            Values::DateTime(v) => Column::new(name, std::mem::take(v))
                .cast(&DataType::Datetime(TimeUnit::Milliseconds, None)),
        }
    }
}

fn push_row(batch: &mut [Values], row: &RawRow, first_col: u32) {
    let mut cells = row.cells.iter().peekable();
    for (i, values) in batch.iter_mut().enumerate() {
        let col = first_col + i as u32;
        while cells.next_if(|(c, _)| *c < col).is_some() {}
        values.push(cells.next_if(|(c, _)| *c == col).map(|(_, cell)| cell));
    }
}

fn frame(table: &Table, batch: &mut [Values], len: usize) -> PolarsResult<DataFrame> {
    let columns = table
        .columns
        .iter()
        .zip(batch.iter_mut())
        .map(|(c, values)| values.take(&c.name))
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new(len, columns)
}
