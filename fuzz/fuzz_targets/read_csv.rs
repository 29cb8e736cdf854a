//! Bytes → format detection → the csv reader → raw sheets → typed rows: nothing may panic, the
//! rows keep the reader's promises and no row is lost (scoreboard::fuzzing).
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: scoreboard::fuzzing::record_panic_locations(),
    |data: &[u8]| {
        if let Err(broken) = scoreboard::fuzzing::read_and_consolidate("input.csv", data) {
            panic!("{broken}");
        }
    }
);
