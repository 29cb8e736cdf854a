//! A raw sheet (written as text, see scoreboard::fuzzing::workbook_from_text) → header detection
//! → typed rows: nothing may panic and every row below the header is kept or on the Issues.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let workbook = scoreboard::fuzzing::workbook_from_text(data);
    if let Err(lost) = scoreboard::fuzzing::consolidate_checked("input.xlsx", workbook) {
        panic!("{lost}");
    }
});
