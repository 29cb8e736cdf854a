//! Limits checked before and during a read, so a hostile file is refused quickly with the limit
//! named, long before the reader process's memory cap has to stop it.

use super::{Format, Over, ReadError, ReadLimits};
use std::io::Cursor;

const MIB: u64 = 1024 * 1024;

/// Refuses a zipped workbook (xlsx, xlsb, ods) whose parts declare, in the zip directory, more
/// unpacked bytes than the limit — before anything is unpacked. A part that unpacks to more than
/// it declares is refused by the zip reader itself ("larger than its declared size"), so the
/// declared sizes bound the real work. xls and CSV are not zipped and pass.
///
/// # Errors
/// [`ReadError::OverLimit`] naming the total and the limit. A damaged zip directory passes here
/// and is reported by the spreadsheet library with its own words.
pub(super) fn check_unpacked_size(
    format: Format,
    bytes: &[u8],
    limits: &ReadLimits,
) -> Result<(), ReadError> {
    if !matches!(format, Format::Xlsx | Format::Xlsb | Format::Ods) {
        return Ok(());
    }
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let limit = limits.max_unpacked_mb.saturating_mul(MIB);
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        // The size the central directory declares; no byte is unpacked here.
        if let Ok(part) = archive.by_index_raw(i) {
            total = total.saturating_add(part.size());
        }
    }
    if total > limit {
        return Err(ReadError::OverLimit(Over::Unpacked {
            tenths_mib: total.saturating_mul(10).div_ceil(MIB),
            limit_mib: limits.max_unpacked_mb,
        }));
    }
    Ok(())
}

/// Counts the cells of one file while its rows stream, and stops the read past the limit.
#[derive(Debug, Clone)]
pub struct CellBudget {
    left: u64,
    limit: u64,
}

impl CellBudget {
    /// A budget of `limits.max_cells` cells.
    pub fn new(limits: &ReadLimits) -> Self {
        CellBudget {
            left: limits.max_cells,
            limit: limits.max_cells,
        }
    }

    /// Takes `cells` more cells from the budget.
    ///
    /// # Errors
    /// [`ReadError::OverLimit`] once the file holds more cells than the limit.
    pub fn spend(&mut self, cells: usize) -> Result<(), ReadError> {
        match self.left.checked_sub(cells as u64) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => Err(ReadError::OverLimit(Over::Cells { limit: self.limit })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(parts: &[(&str, usize)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, size) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(&vec![b'a'; *size]).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_workbook_that_unpacks_beyond_the_limit_is_refused_from_its_directory() {
        let limits = ReadLimits {
            max_unpacked_mb: 1,
            ..Default::default()
        };
        let small = zip_with(&[("a.xml", 600_000), ("b.xml", 400_000)]);
        assert_eq!(check_unpacked_size(Format::Xlsx, &small, &limits), Ok(()));
        let big = zip_with(&[("a.xml", 600_000), ("b.xml", 600_000)]);
        let refused = check_unpacked_size(Format::Xlsx, &big, &limits).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the file is too large to read safely: its parts unpack to 1.2 MiB, over the limit of \
             1 MiB; if the file is genuine, raise the limit with --read-max-unpacked-mb"
        );
        // One byte over shows as over, never as the limit itself.
        let just = zip_with(&[("a.xml", 1024 * 1024 + 1)]);
        let refused = check_unpacked_size(Format::Xlsx, &just, &limits).unwrap_err();
        assert!(
            refused.to_string().contains("unpack to 1.1 MiB"),
            "{refused}"
        );
        let dutch = crate::i18n::labels(crate::model::Lang::Nl).render(
            &ReadError::OverLimit(Over::Unpacked {
                tenths_mib: 20_485,
                limit_mib: 1024,
            })
            .reason(),
        );
        assert!(
            dutch.contains("pakken uit tot 2.048,5 MiB, boven de grens van 1.024 MiB"),
            "{dutch}"
        );
        // The largest size a forged zip directory can declare (the sum saturates) still renders.
        let forged = ReadError::OverLimit(Over::Unpacked {
            tenths_mib: u64::MAX.saturating_mul(10).div_ceil(1024 * 1024),
            limit_mib: 1,
        });
        assert!(
            forged.to_string().contains("over the limit of 1 MiB"),
            "{forged}"
        );
        assert_eq!(check_unpacked_size(Format::Xls, &big, &limits), Ok(()));
    }

    #[test]
    fn the_cell_budget_stops_the_read_past_the_limit() {
        let mut budget = CellBudget::new(&ReadLimits {
            max_cells: 10,
            ..Default::default()
        });
        assert_eq!(budget.spend(6), Ok(()));
        assert_eq!(budget.spend(4), Ok(()));
        let refused = budget.spend(1).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the file is too large to read safely: it holds more than 10 non-empty cells, over \
             the limit of 10 cells; if the file is genuine, raise the limit with --read-max-cells"
        );
        let dutch = crate::i18n::labels(crate::model::Lang::Nl).render(
            &CellBudget::new(&ReadLimits::default())
                .spend(100_000_001)
                .unwrap_err()
                .reason(),
        );
        assert_eq!(
            dutch,
            "het bestand is te groot om veilig te lezen: het bevat meer dan 100.000.000 niet-lege \
             cellen, boven de grens van 100.000.000 cellen; is het bestand echt, verhoog dan de \
             grens met --read-max-cells"
        );
    }
}
