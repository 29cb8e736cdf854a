//! The parent's side of one file's conversion: a staging folder inside the output folder, the
//! isolated child that fills it, then the outputs named, checked (never an input; an existing
//! file only with `--force`) and renamed into place — atomic, as every write of the tool.

use super::names::sheet_files;
use super::{convert_isolated, ConvertError, ConvertOptions, FileConverted, Target};
use crate::read::{Readers, SamePaths};
use std::path::{Path, PathBuf};

/// A file converted and its outputs in place.
#[derive(Debug)]
pub struct Placed {
    /// What the child reported.
    pub converted: FileConverted,
    /// The files written, in sheet order.
    pub outputs: Vec<PathBuf>,
}

/// Where outputs go and what they may replace.
#[derive(Debug)]
pub struct Placement {
    out_dir: PathBuf,
    force: bool,
    /// Every input: an output never replaces one.
    inputs: SamePaths,
}

impl Placement {
    /// Outputs in `out_dir` (an existing folder), replacing existing files only with `force`,
    /// never one of `inputs`.
    pub fn new(out_dir: &Path, force: bool, inputs: SamePaths) -> Self {
        Placement {
            out_dir: out_dir.to_path_buf(),
            force,
            inputs,
        }
    }

    /// The path of output `name`, if it may be written.
    ///
    /// # Errors
    /// [`ConvertError::OutputIsInput`], or [`ConvertError::OutputExists`] without `--force`.
    pub fn check(&self, name: &str) -> Result<PathBuf, ConvertError> {
        let target = self.out_dir.join(name);
        if self.inputs.contains(&target) {
            return Err(ConvertError::OutputIsInput(target.display().to_string()));
        }
        // symlink_metadata: a dangling link is an existing name too.
        if !self.force && std::fs::symlink_metadata(&target).is_ok() {
            return Err(ConvertError::OutputExists(target.display().to_string()));
        }
        Ok(target)
    }

    /// Converts `input` in a process of `readers` and puts its outputs in place under
    /// `base` (`<base>.xlsx`, `<base>__<sheet>.csv`). The staging folder is removed whatever
    /// happens, even when the child was killed halfway.
    ///
    /// # Errors
    /// Why the file was not converted; no output of it is in place then.
    pub fn convert(
        &self,
        readers: &Readers,
        input: &Path,
        base: &str,
        options: &ConvertOptions,
    ) -> Result<Placed, ConvertError> {
        if options.target == Target::Xlsx {
            // Known before reading: refuse early rather than after the work.
            self.check(&format!("{base}.xlsx"))?;
        }
        // Removed whatever happens, on Ctrl-C too.
        let staging = crate::interrupt::Temporary::folder_in(&self.out_dir, ".scoreboard-")
            .map_err(ConvertError::io)?;
        let converted = convert_isolated(readers, input, staging.path(), options)?;
        let plan: Vec<(String, String)> = match &converted.staged_workbook {
            Some(staged) => vec![(staged.clone(), format!("{base}.xlsx"))],
            None => {
                let staged: Vec<(&str, &str)> = converted
                    .sheets
                    .iter()
                    .filter_map(|s| s.staged.as_deref().map(|f| (f, s.name.as_str())))
                    .collect();
                let sheets: Vec<&str> = staged.iter().map(|(_, sheet)| *sheet).collect();
                let names = sheet_files(base, &sheets, options.target.name());
                staged
                    .iter()
                    .map(|(file, _)| file.to_string())
                    .zip(names)
                    .collect()
            }
        };
        // Every output is checked before the first is renamed: a refused file writes nothing.
        let targets = plan
            .iter()
            .map(|(_, name)| self.check(name))
            .collect::<Result<Vec<_>, _>>()?;
        for ((staged, _), target) in plan.iter().zip(&targets) {
            std::fs::rename(staging.path().join(staged), target).map_err(ConvertError::io)?;
        }
        if let Ok(dir) = std::fs::File::open(&self.out_dir) {
            let _ = dir.sync_all();
        }
        Ok(Placed {
            converted,
            outputs: targets,
        })
    }
}
