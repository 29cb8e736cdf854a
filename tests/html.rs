//! `report --html`: the page of the samples in each language, checked as a file (self-contained,
//! the same bytes twice, values from the KPI export) and in a real headless Chromium (a
//! screenshot, no console message, no request leaving the page, the tiles as the browser shows
//! them, the printed PDF's pages). Chromium is Debian's `chromium` (`.ci/run` installs it); the
//! browser tests fail, never skip, without it.

mod common;

use common::*;
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

/// The samples' report with its page and KPI table in `lang`, in `dir`: (page, KPI rows).
fn samples_page(dir: &Path, lang: &str) -> (String, Vec<Vec<String>>) {
    let (code, stderr) = samples_report_with(dir, &["--lang", lang, "--html", "KPI.html"]);
    assert_eq!(code, 1, "the samples carry deliberate errors: {stderr}");
    let page = std::fs::read_to_string(dir.join("KPI.html")).unwrap();
    (page, kpi_csv(&dir.join("kpis.csv")))
}

/// The browser: Debian's `chromium` (or another Chromium on the PATH).
fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Some(dir) = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .find(|d| d.join(name).is_file())
        {
            return dir.join(name);
        }
    }
    panic!("no Chromium on the PATH: install it (apt-get install chromium), as .ci/run does");
}

/// What a headless Chromium run gave: its stdout, its console messages, and the hosts the
/// page asked for (every request goes through a proxy that notes its host and refuses it).
struct Browsed {
    stdout: Vec<u8>,
    console: Vec<String>,
    requests: Vec<String>,
}

/// Hosts Chromium itself calls whatever the page (its clock, sign-in and start-up checks,
/// which the flags below do not all silence); a page's own request goes anywhere else.
fn browser_own(host: &str) -> bool {
    ["google.com", "gstatic.com", "googleapis.com", "gvt1.com"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

/// The host of a proxy request's first line (`CONNECT h:443 …`, `GET http://h/… …`).
fn host_of(line: &str) -> String {
    let target = line.split_whitespace().nth(1).unwrap_or_default();
    let target = target.split("://").last().unwrap_or_default();
    let authority = target.split('/').next().unwrap_or_default();
    authority
        .rsplit_once(':')
        .map_or(authority, |(h, _)| h)
        .to_string()
}

/// Opens `page` in headless Chromium with `args` (`--screenshot=…`, `--print-to-pdf=…`,
/// `--dump-dom`), every request sent to a local proxy that counts and refuses it.
fn browse(page: &Path, args: &[String]) -> Browsed {
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = proxy.local_addr().unwrap().port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        for mut conn in proxy.incoming().flatten() {
            let _ = conn.set_read_timeout(Some(std::time::Duration::from_millis(500)));
            let mut head = [0; 512];
            let n = conn.read(&mut head).unwrap_or(0);
            let line = String::from_utf8_lossy(&head[..n]);
            let host = host_of(line.lines().next().unwrap_or_default());
            seen.lock().unwrap().push(host);
        }
    });
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--no-pdf-header-footer",
            "--enable-logging=stderr",
            "--v=0",
            "--proxy-bypass-list=<-loopback>",
        ])
        .arg(format!("--proxy-server=http://127.0.0.1:{port}"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    let requests: Vec<String> = requests
        .lock()
        .unwrap()
        .iter()
        .filter(|h| !browser_own(h))
        .cloned()
        .collect();
    Browsed {
        stdout: out.stdout,
        console,
        requests,
    }
}

/// The pages of a PDF (its page objects).
fn pdf_pages(pdf: &[u8]) -> usize {
    let marker = b"/Type /Page";
    pdf.windows(marker.len() + 1)
        .filter(|w| &w[..marker.len()] == marker && w[marker.len()] != b's')
        .count()
}

/// The value of attribute `name` in a tag's text.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// Every tile of a page's DOM: (kpi id, raw value, value as shown).
fn tiles(dom: &str) -> Vec<(String, f64, String)> {
    dom.split("<div class=\"tile")
        .skip(1)
        .filter_map(|tile| {
            let tag = &tile[..tile.find('>')?];
            let kpi = attribute(tag, "data-kpi")?.to_string();
            let value: f64 = attribute(tag, "data-value")?.parse().ok()?;
            let shown = tile.split("<p class=\"tile-value\">").nth(1)?;
            let shown = shown[..shown.find('<')?].to_string();
            Some((kpi, value, shown))
        })
        .collect()
}

/// A fraction as the page writes a percentage in `lang` (`43,8 %`, `43.8%`).
fn percent(lang: &str, v: f64) -> String {
    let n = format!("{:.1}", v * 100.0);
    match lang {
        "en" => format!("{n}%"),
        _ => format!("{} %", n.replace('.', ",")),
    }
}

#[test]
fn the_page_is_self_contained_and_the_same_bytes_twice() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (page, _) = samples_page(a.path(), "nl");
    let (again, _) = samples_page(b.path(), "nl");
    assert!(page == again, "two runs gave different pages");
    // Nothing to load: no script, no style sheet, no image, no frame, no font; the only URL is
    // SVG's namespace. Its own policy forbids any load a later edit might add.
    for banned in [
        "<script", "<link", "<img", "<iframe", "<object", "@import", "url(", "src=",
    ] {
        assert!(!page.contains(banned), "the page holds {banned}");
    }
    let urls: Vec<&str> = page
        .match_indices("http")
        .map(|(i, _)| &page[i..(i + 30).min(page.len())])
        .filter(|u| !u.starts_with("http://www.w3.org/2000/svg") && !u.starts_with("http-equiv"))
        .collect();
    assert!(urls.is_empty(), "{urls:?}");
    assert!(page.contains("content=\"default-src 'none'"));
    assert!(page.starts_with("<!DOCTYPE html><html lang=\"nl\">"));
    // Real table headers, and a status told in words beside its colour.
    assert!(page.contains("<th scope=\"col\""));
    assert!(page.contains("✗</span> Streefwaarde niet gehaald"));
}

#[test]
fn the_page_shows_the_kpi_exports_values_in_each_language() {
    for (lang, on_time, sections) in [
        ("nl", "43,8 %", ["Boordtabel", "Acties", "Ziekteverzuim"]),
        (
            "fr",
            "43,8 %",
            ["Tableau de bord", "Actions", "Absentéisme"],
        ),
        ("en", "43.8%", ["Dashboard", "Actions", "Absenteeism"]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (page, kpis) = samples_page(dir.path(), lang);
        let tiles = tiles(&page);
        assert!(tiles.len() >= 6, "{lang}: {tiles:?}");
        for (kpi, value, shown) in &tiles {
            let row = kpis
                .iter()
                .find(|r| r[0] == *kpi && r[1] == "all" && r[6].parse::<f64>() == Ok(*value));
            assert!(
                row.is_some(),
                "{lang}: tile {kpi} = {value} is no row of the export"
            );
            if kpi.ends_with("_rate") {
                assert_eq!(shown, &percent(lang, *value), "{lang}: tile {kpi}");
            }
        }
        let first = &tiles[0];
        assert_eq!(
            (first.0.as_str(), first.2.as_str()),
            ("actions_on_time_rate", on_time)
        );
        for s in sections {
            assert!(
                page.contains(&format!("-title\">{s}</h2>")),
                "{lang}: section {s}"
            );
        }
    }
}

#[test]
fn chromium_renders_the_page_without_a_request_or_a_console_message() {
    // The checks themselves: a page that loads an image and logs is caught by both.
    let control = tempfile::tempdir().unwrap();
    let bad = control.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!doctype html><p>x</p><img src=\"http://example.invalid/a.png\">\
         <script>console.error('boom')</script>",
    )
    .unwrap();
    let caught = browse(&bad, &["--dump-dom".into()]);
    assert!(
        caught.requests.iter().any(|h| h == "example.invalid"),
        "the proxy saw no request: {:?}",
        caught.requests
    );
    assert!(!caught.console.is_empty(), "no console message seen");

    for lang in ["nl", "fr", "en"] {
        let dir = tempfile::tempdir().unwrap();
        let (_, kpis) = samples_page(dir.path(), lang);
        let page = dir.path().join("KPI.html");
        let png = dir.path().join("page.png");
        let shot = browse(
            &page,
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=1280,2400".into(),
            ],
        );
        let image = std::fs::read(&png).expect("a screenshot");
        assert!(
            image.starts_with(b"\x89PNG") && image.len() > 50_000,
            "{lang}"
        );
        assert!(shot.requests.is_empty(), "{lang}: {:?}", shot.requests);
        assert!(shot.console.is_empty(), "{lang}: {:?}", shot.console);
        // The tiles as the browser built them, against the export.
        let dom = browse(&page, &["--dump-dom".into()]);
        let dom = String::from_utf8(dom.stdout).unwrap();
        let shown = tiles(&dom);
        let on_time = kpi_row(&kpis, "actions_on_time_rate", "all", "");
        assert_eq!(shown[0].1.to_string(), on_time[6], "{lang}");
        assert_eq!(shown[0].2, percent(lang, 0.4375), "{lang}");
    }
}

#[test]
fn the_page_prints_on_a4_landscape_each_section_on_its_own_pages() {
    // The dashboard takes two pages (tiles and table, then the charts); each family starts a page.
    // In French the absence matrix's short months (`janv. 2024`) keep its section on one page.
    for (lang, pages) in [("nl", 10), ("fr", 9), ("en", 10)] {
        let dir = tempfile::tempdir().unwrap();
        samples_page(dir.path(), lang);
        let pdf = dir.path().join("page.pdf");
        let printed = browse(
            &dir.path().join("KPI.html"),
            &[format!("--print-to-pdf={}", pdf.display())],
        );
        assert!(
            printed.requests.is_empty(),
            "{lang}: {:?}",
            printed.requests
        );
        let bytes = std::fs::read(&pdf).expect("a PDF");
        assert_eq!(pdf_pages(&bytes), pages, "{lang}");
        // A4 landscape: 842 × 595 points.
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("/MediaBox [0 0 841.91998 594.95996]"),
            "{lang}"
        );
    }
}

#[test]
fn the_config_asks_for_the_page_beside_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let config = std::fs::read_to_string(root().join("samples/scoreboard.toml")).unwrap();
    let config = format!("{config}\n[output]\nhtml = true\n");
    assert!(!config.contains("\n[output]\n[output]"));
    std::fs::write(dir.path().join("scoreboard.toml"), config).unwrap();
    let inbox = root().join("samples/inbox");
    let (code, stderr) = run(
        dir.path(),
        &[
            "report",
            inbox.to_str().unwrap(),
            "--config",
            "scoreboard.toml",
            "--month",
            "2025-03",
            "-o",
            "KPI.xlsx",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let page = std::fs::read_to_string(dir.path().join("KPI.html")).unwrap();
    assert!(page.contains("data-kpi=\"actions_on_time_rate\" data-value=\"0.4375\""));
    // `--html` names another file and refuses another extension.
    let (code, stderr) = run(
        dir.path(),
        &[
            "report",
            inbox.to_str().unwrap(),
            "-o",
            "K.xlsx",
            "--html",
            "K.pdf",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--html"), "{stderr}");
}
