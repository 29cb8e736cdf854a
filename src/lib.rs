//! scoreboard: the monthly scoreboards of a public service's directorates in, one KPI workbook out.
//!
//! Data flows one way, one module per stage:
//! `read` (any file → raw sheets, isolated per file) → `schema` (header row, table kind) →
//! `consolidate` (typed rows with lineage, issues, snapshots, frames) → `kpi` (polars → KPI rows)
//! → `write` (workbook, exports, atomic save). `parse` holds the pure value parsers, `model` the
//! domain types, `i18n` the labels, `options` the output options several commands share (the CSV dialect). `config` turns the command line and `scoreboard.toml` into
//! one validated `RunConfig`; `engine` runs the stages as library functions of it and returns a
//! `RunResult`; `received` reads off it what each file gave and who has not sent; `commands`
//! orchestrate each subcommand. `convert` is the other job: any input
//! file to xlsx, csv or parquet, each file converted inside the read stage's isolated child. `sample`
//! generates realistic inputs for benchmarks and tests (it only writes). `interrupt` removes the
//! temporary outputs being written when the run is interrupted. `serve` is the local web page
//! over the inbox (`scoreboard serve`): its rebuilds, routes and guard.

pub mod cli;
pub mod commands;
pub mod config;
pub mod consolidate;
pub mod convert;
pub mod corrections;
pub mod engine;
pub mod error;
pub mod excel_text;
pub mod fuzzing;
pub mod i18n;
pub mod interrupt;
pub mod kpi;
pub mod mapping;
pub mod model;
pub mod options;
pub mod parse;
pub mod progress;
pub mod read;
pub mod received;
pub mod sample;
pub mod schema;
pub mod serve;
pub mod template;
pub mod write;

#[cfg(test)]
pub(crate) mod test_support;
