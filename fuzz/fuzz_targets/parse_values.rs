//! Text → every value parser (dates, deadlines, periods, numbers, percentages, vocabulary):
//! nothing may panic and each keeps its promises (scoreboard::fuzzing::parse_values).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(broken) = scoreboard::fuzzing::parse_values(text) {
            panic!("{broken}");
        }
    }
    // Serial dates, from the same bytes read as a number.
    if let Ok(bytes) = <[u8; 8]>::try_from(&data[..data.len().min(8)]) {
        let serial = f64::from_le_bytes(bytes);
        let _ = scoreboard::parse::excel_serial_to_date(serial, false);
        let _ = scoreboard::parse::excel_serial_to_date(serial, true);
    }
});
