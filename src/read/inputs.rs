//! Turns the command line's files and folders into the list of input files, in a stable order.
//! Folders are walked recursively; hidden files, lock files (`~$x.xlsx`) and other types are skipped.

use super::detect::INPUT_EXTENSIONS;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A set of files known by their canonical path, so an output is recognised as one of the
/// inputs however either was spelled (`./inbox/x.xlsx`, a link to it). The one place that
/// decides "this output is an input": `report` refuses it before reading, the engine leaves
/// a run's own outputs out of its inputs (`watch`), `convert` never replaces an input.
#[derive(Debug, Default)]
pub struct SamePaths(HashSet<PathBuf>);

impl SamePaths {
    /// The files of `paths` that exist (a path that does not exist is nothing yet).
    pub fn new<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Self {
        SamePaths(
            paths
                .into_iter()
                .filter_map(|p| std::fs::canonicalize(p).ok())
                .collect(),
        )
    }

    /// Whether `path` exists and is one of the set's files.
    pub fn contains(&self, path: &Path) -> bool {
        std::fs::canonicalize(path).is_ok_and(|c| self.0.contains(&c))
    }
}

/// Expands files and folders into input files sorted by path (the order decides ties between
/// snapshots with the same report date). Paths that do not exist are returned in `missing`.
pub fn collect_inputs(args: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for arg in args {
        if arg.is_dir() {
            let walker = walkdir::WalkDir::new(arg).follow_links(true).into_iter();
            for entry in walker
                .filter_entry(|e| e.depth() == 0 || !is_hidden(e.path()))
                .flatten()
            {
                if entry.file_type().is_file() && is_input_file(entry.path()) {
                    files.push(entry.into_path());
                }
            }
        } else if arg.is_file() {
            files.push(arg.clone());
        } else {
            missing.push(arg.clone());
        }
    }
    files.sort();
    files.dedup();
    (files, missing)
}

/// How each input file is named to the analyst (Issues, terminal): relative to the input
/// folder it was found in (`hr/verzuim.xlsx` for `inbox/hr/verzuim.xlsx` found in `inbox`), or
/// as given when it was named directly. Two files that would get the same name keep their
/// whole path instead.
pub fn display_names(args: &[PathBuf], files: &[PathBuf]) -> Vec<String> {
    let shown = |p: &Path| {
        p.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    };
    let names: Vec<String> = files
        .iter()
        .map(|file| {
            args.iter()
                .filter(|arg| arg.is_dir())
                .find_map(|dir| file.strip_prefix(dir).ok())
                .filter(|rel| !rel.as_os_str().is_empty())
                .map_or_else(|| file.display().to_string(), shown)
        })
        .collect();
    names
        .iter()
        .zip(files)
        .map(|(name, file)| {
            if names.iter().filter(|n| *n == name).count() > 1 {
                file.display().to_string()
            } else {
                name.clone()
            }
        })
        .collect()
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') || n.starts_with("~$") || n.starts_with(".~lock"))
}

fn is_input_file(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    !is_hidden(path) && ext.is_some_and(|e| INPUT_EXTENSIONS.contains(&e.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_relative_to_the_folder_given() {
        let dir = tempfile::tempdir().unwrap();
        let (inbox, other) = (dir.path().join("inbox"), dir.path().join("other"));
        for d in [inbox.join("hr"), other.clone()] {
            std::fs::create_dir_all(d).unwrap();
        }
        let files = vec![
            inbox.join("hr/verzuim.xlsx"),
            inbox.join("a.xlsx"),
            other.join("a.xlsx"),
            PathBuf::from("/elsewhere/los.csv"),
        ];
        let names = display_names(&[inbox.clone(), other.clone()], &files);
        assert_eq!(names[0], "hr/verzuim.xlsx");
        assert_eq!(
            names[1],
            inbox.join("a.xlsx").display().to_string(),
            "a clash"
        );
        assert_eq!(names[2], other.join("a.xlsx").display().to_string());
        assert_eq!(names[3], "/elsewhere/los.csv", "named directly: as given");
    }

    #[test]
    fn folders_are_walked_and_lock_files_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        for name in [
            "b.xlsx",
            "sub/a.csv",
            "~$b.xlsx",
            ".hidden.xlsx",
            "notes.pdf",
            ".git/x.csv",
            ".~lock.b.xlsx#",
        ] {
            std::fs::write(root.join(name), b"x").unwrap();
        }
        let (files, missing) = collect_inputs(&[root.to_path_buf(), root.join("nope.xlsx")]);
        let names: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["b.xlsx", "sub/a.csv"]);
        assert_eq!(missing, vec![root.join("nope.xlsx")]);
    }
}
