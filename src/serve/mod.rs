//! `scoreboard serve` (spec §10): what a dropped file may be called in the inbox
//! ([`upload_name`]), how it is stored and what it replaces is moved aside ([`inbox`]), which
//! requests a server on the analyst's machine answers ([`Guard`]), the rebuilds ([`build`]), the
//! page ([`page`]) and its routes ([`app`]). `commands::serve` starts them.

pub mod app;
pub mod build;
pub mod inbox;
mod map_routes;
pub mod mapper;
pub mod page;

use crate::read::INPUT_EXTENSIONS;
use std::net::IpAddr;

/// The longest name, in bytes, a dropped file keeps (its extension included): well under the
/// 255 bytes of common file systems, leaving room for a time stamp when it is moved aside.
pub const MAX_NAME_BYTES: usize = 180;

/// Why a dropped file's name cannot be used, whatever is done to it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameRefused {
    /// Nothing usable is left of the name.
    #[error("the file has no usable name")]
    Empty,
    /// Not one of the extensions the reader takes.
    #[error("“.{0}” is not a spreadsheet or CSV the tool reads (xlsx, xlsm, xlsb, xls, ods, csv)")]
    Extension(String),
    /// An Office lock file (`~$Book.xlsx`), which the reader skips.
    #[error("an Office lock file (~$…), not a workbook")]
    LockFile,
}

/// The name a dropped file gets in the inbox, from the name the browser sent: its last path
/// component only (`../../etc/x.csv` and `C:\Users\x\a.xlsx` give `x.csv` and `a.xlsx`), without
/// control characters, with the characters Windows forbids (`<>:"|?*`) as `_`, without leading
/// dots (a hidden file is skipped by the reader) or trailing dots and spaces (Windows drops
/// them), a reserved Windows device name (`CON`, `nul.csv`, `COM1.xlsx`) prefixed with `_`, at
/// most [`MAX_NAME_BYTES`] bytes (the stem shortened, the extension kept), and an extension the
/// reader takes (kept as sent: `.XLSX` stays).
///
/// # Errors
/// [`NameRefused`] when nothing usable is left, the extension is not read, or the name is an
/// Office lock file.
pub fn upload_name(sent: &str) -> Result<String, NameRefused> {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if "<>:\"|?*".contains(c) { '_' } else { c })
        .collect();
    let name = cleaned
        .trim()
        .trim_start_matches('.')
        .trim_end_matches(['.', ' '])
        .trim();
    if name.starts_with("~$") {
        return Err(NameRefused::LockFile);
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.trim().is_empty() => (stem.trim_end(), ext),
        Some((_, ext)) => return Err(NameRefused::Extension(ext.to_string())),
        None if name.is_empty() => return Err(NameRefused::Empty),
        None => return Err(NameRefused::Extension(String::new())),
    };
    if !INPUT_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str()) {
        return Err(NameRefused::Extension(extension.to_string()));
    }
    let mut stem = stem.to_string();
    let device = stem
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    if is_windows_device(&device) {
        stem.insert(0, '_');
    }
    let room = MAX_NAME_BYTES.saturating_sub(extension.len() + 1);
    while stem.len() > room {
        stem.pop();
    }
    Ok(format!("{}.{extension}", stem.trim_end()))
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9`: names Windows gives to devices,
/// with any extension.
fn is_windows_device(upper: &str) -> bool {
    matches!(upper, "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.as_bytes()[3].is_ascii_digit()
            && upper.as_bytes()[3] != b'0')
}

/// Which requests the server answers. A server on 127.0.0.1 is reachable from any page the
/// analyst opens: through DNS rebinding a foreign site's page can send requests whose `Host` is
/// its own name, and any page can post a form to it. So every request must name, in `Host`, an
/// address the server listens on, and every request that changes something must come from a
/// page the server gave (`Origin`).
#[derive(Debug, Clone)]
pub struct Guard {
    /// The `host:port` forms a request may name, lower case.
    hosts: Vec<String>,
    /// Bound to every address (`0.0.0.0`, `::`): any host name with the port is answered,
    /// since the server cannot know its own names; the access token, which `--bind` makes
    /// compulsory and which a rebinding page never has (its cookie is another host's), guards
    /// it instead.
    any_host_on: Option<u16>,
}

impl Guard {
    /// The guard of a server bound to `ip` on `port`: `127.0.0.1`, `localhost` and `[::1]` for
    /// a loopback address, else that address itself.
    pub fn new(ip: IpAddr, port: u16) -> Self {
        let own = match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        };
        let mut names = vec![own];
        if ip.is_loopback() {
            names.extend(["127.0.0.1".into(), "localhost".into(), "[::1]".into()]);
        }
        names.dedup();
        Guard {
            hosts: names.into_iter().map(|n| format!("{n}:{port}")).collect(),
            any_host_on: ip.is_unspecified().then_some(port),
        }
    }

    /// True when the `Host` header names this server (with its port, as browsers send it).
    pub fn host_allowed(&self, host: Option<&str>) -> bool {
        let Some(host) = host.map(|h| h.trim().to_ascii_lowercase()) else {
            return false;
        };
        match self.any_host_on {
            Some(port) => host
                .rsplit_once(':')
                .is_some_and(|(name, p)| !name.is_empty() && p == port.to_string()),
            None => self.hosts.contains(&host),
        }
    }

    /// True when a request that changes something comes from this server's own page: its
    /// `Origin` is `http://` and one of the hosts. A request without `Origin` is refused (every
    /// browser sends it on such requests; a script without a browser has no business there).
    pub fn origin_allowed(&self, origin: Option<&str>) -> bool {
        origin
            .and_then(|o| {
                o.trim()
                    .to_ascii_lowercase()
                    .strip_prefix("http://")
                    .map(String::from)
            })
            .is_some_and(|host| self.host_allowed(Some(&host)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_name_keeps_only_what_is_safe_in_the_inbox() {
        let ok = |sent: &str| upload_name(sent).unwrap();
        assert_eq!(
            ok("scorebord_ICT_2025-03.xlsx"),
            "scorebord_ICT_2025-03.xlsx"
        );
        assert_eq!(ok("../../etc/passwd.csv"), "passwd.csv");
        assert_eq!(ok("..\\..\\Windows\\win.ini.csv"), "win.ini.csv");
        assert_eq!(ok("C:\\Users\\an\\Mijn map\\tableau.XLSX"), "tableau.XLSX");
        assert_eq!(ok(".verborgen.csv"), "verborgen.csv");
        assert_eq!(ok("...csv.csv"), "csv.csv");
        assert_eq!(ok("a\u{0}b\nc\u{7}.ods"), "abc.ods");
        assert_eq!(ok("wat?<is>:dit|\"*.xls"), "wat__is__dit___.xls");
        assert_eq!(ok("  scorebord.xlsx . . "), "scorebord.xlsx");
        assert_eq!(ok("CON.csv"), "_CON.csv");
        assert_eq!(ok("nul.tar.csv"), "_nul.tar.csv");
        assert_eq!(ok("com1.xlsx"), "_com1.xlsx");
        assert_eq!(ok("COM10.xlsx"), "COM10.xlsx");
        assert_eq!(ok("LPT0.xlsx"), "LPT0.xlsx");
        assert_eq!(ok("Console.xlsx"), "Console.xlsx");
        let long = format!("{}.xlsx", "é".repeat(200));
        let kept = ok(&long);
        assert!(
            kept.len() <= MAX_NAME_BYTES && kept.ends_with("é.xlsx"),
            "{kept}"
        );
    }

    #[test]
    fn a_dropped_name_that_cannot_be_used_says_why() {
        assert_eq!(upload_name(""), Err(NameRefused::Empty));
        assert_eq!(upload_name("../"), Err(NameRefused::Empty));
        assert_eq!(upload_name("..."), Err(NameRefused::Empty));
        assert_eq!(
            upload_name("rapport"),
            Err(NameRefused::Extension(String::new()))
        );
        assert_eq!(
            upload_name("rapport.exe"),
            Err(NameRefused::Extension("exe".into()))
        );
        assert_eq!(
            upload_name(".xlsx"),
            Err(NameRefused::Extension(String::new()))
        );
        assert_eq!(upload_name("~$Book1.xlsx"), Err(NameRefused::LockFile));
        assert!(
            upload_name("x.xlsx/").is_err(),
            "a trailing separator leaves nothing"
        );
    }

    #[test]
    fn only_requests_naming_this_server_are_answered() {
        let local = Guard::new("127.0.0.1".parse().unwrap(), 8080);
        for host in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST:8080",
            "[::1]:8080",
        ] {
            assert!(local.host_allowed(Some(host)), "{host}");
        }
        // DNS rebinding: a foreign name that resolves to 127.0.0.1; another port; no Host.
        for host in [
            "evil.example:8080",
            "127.0.0.1:8081",
            "127.0.0.1",
            "localhost.evil:8080",
        ] {
            assert!(!local.host_allowed(Some(host)), "{host}");
        }
        assert!(!local.host_allowed(None));

        assert!(local.origin_allowed(Some("http://127.0.0.1:8080")));
        assert!(local.origin_allowed(Some("http://localhost:8080")));
        for origin in [
            "http://evil.example:8080",
            "https://127.0.0.1:8080",
            "http://127.0.0.1:9999",
            "null",
            "",
        ] {
            assert!(!local.origin_allowed(Some(origin)), "{origin}");
        }
        assert!(!local.origin_allowed(None), "a change without Origin");

        let other_loopback = Guard::new("127.0.0.2".parse().unwrap(), 8080);
        assert!(
            other_loopback.host_allowed(Some("127.0.0.2:8080")),
            "its own address"
        );
        let every = Guard::new("0.0.0.0".parse().unwrap(), 8393);
        assert!(every.host_allowed(Some("192.0.2.2:8393")));
        assert!(every.host_allowed(Some("pc-analyst.example:8393")));
        assert!(!every.host_allowed(Some("192.0.2.2:8080")));
        assert!(every.origin_allowed(Some("http://192.0.2.2:8393")));
        let lan = Guard::new("192.168.1.20".parse().unwrap(), 8443);
        assert!(lan.host_allowed(Some("192.168.1.20:8443")));
        assert!(!lan.host_allowed(Some("localhost:8443")));
        assert!(lan.origin_allowed(Some("http://192.168.1.20:8443")));
    }
}
