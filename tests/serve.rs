//! `scoreboard serve` end to end: the binary on a free loopback port, driven over HTTP (upload,
//! verdicts, issues as JSON, downloads against `report`, removal, every refusal, a hostile
//! workbook), under load, and in headless Chromium through WebDriver. Every wait polls with a
//! deadline; none relies on a sleep alone.

mod common;

use common::*;
use reqwest::blocking::{multipart, Client, Response};
use reqwest::header::{HeaderMap, HeaderValue, HOST, ORIGIN};
use reqwest::StatusCode;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Long enough for a cold debug build's first rebuild on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(90);

/// A running `scoreboard serve`, killed when dropped.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    base: String,
    client: Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Serves `inbox` on a free port with `args` (never opening a browser).
    fn start(inbox: &Path, args: &[&str]) -> Server {
        let mut child = bin()
            .arg("serve")
            .arg(inbox)
            .args(["--no-open", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start serve");
        let mut first = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut first).unwrap();
        // The rest of stdout is read on, as a terminal would.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {first:?}"));
        let base = url
            .split("/?")
            .next()
            .unwrap()
            .trim_end_matches('/')
            .to_string();
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        Server {
            child,
            base,
            client,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().unwrap()
    }

    fn json(&self, path: &str) -> Value {
        self.get(path).json().unwrap()
    }

    /// A POST as the page sends it: with its own `Origin`, asking for JSON.
    fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let r = self
            .client
            .post(self.url(path))
            .header(ORIGIN, &self.base)
            .header("Accept", "application/json")
            .form(form)
            .send()
            .unwrap();
        (r.status(), r.json().unwrap_or(Value::Null))
    }

    /// Drops files on the page: (name as sent, bytes).
    fn upload(&self, files: &[(&str, Vec<u8>)]) -> (StatusCode, Value) {
        let mut form = multipart::Form::new();
        for (name, bytes) in files {
            form = form.part(
                "files",
                multipart::Part::bytes(bytes.clone()).file_name(name.to_string()),
            );
        }
        let r = self
            .client
            .post(self.url("/upload"))
            .header(ORIGIN, &self.base)
            .header("Accept", "application/json")
            .multipart(form)
            .send()
            .unwrap();
        (r.status(), r.json().unwrap_or(Value::Null))
    }

    /// Polls `/api/state` until `done` holds for it; returns it.
    fn wait(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let end = Instant::now() + DEADLINE;
        loop {
            let state = self.json("/api/state");
            if done(&state) {
                return state;
            }
            assert!(Instant::now() < end, "{what}: not in time; last {state}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the build is written and its check lists exactly `files`.
    fn wait_built_with(&self, files: usize) -> Value {
        self.wait(&format!("a build of {files} file(s)"), |s| {
            s["phase"] == "ready" && self.check()["files"].as_array().map(Vec::len) == Some(files)
        })
    }

    fn check(&self) -> Value {
        self.get("/api/check").json().unwrap_or(Value::Null)
    }

    fn bytes(&self, path: &str) -> Vec<u8> {
        let r = self.get(path);
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        r.bytes().unwrap().to_vec()
    }
}

/// Every sample input: (its name, its bytes).
fn sample_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<PathBuf> = walk(&root().join("samples/inbox"));
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A scratch folder with an empty `inbox/` and the samples' `scoreboard.toml` beside it.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let root_dir = tempfile::tempdir().unwrap();
    let inbox = root_dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::copy(
        root().join("samples/scoreboard.toml"),
        root_dir.path().join("scoreboard.toml"),
    )
    .unwrap();
    (root_dir, inbox)
}

/// Runs `report` on the served folder with the served config, writing into `out`.
fn report_of(root_dir: &Path, lang: &str, out: &Path) {
    std::fs::create_dir_all(out).unwrap();
    let status = bin()
        .arg("report")
        .arg(root_dir.join("inbox"))
        .arg("--config")
        .arg(root_dir.join("scoreboard.toml"))
        .args(["--lang", lang, "--quiet", "-o"])
        .arg(out.join("report.xlsx"))
        .arg("--kpis")
        .arg(out.join("kpis.csv"))
        .arg("--html")
        .arg(out.join("report.html"))
        .arg("--feedback-dir")
        .arg(out.join("feedback"))
        .status()
        .unwrap();
    assert!(status.code().is_some_and(|c| c <= 1), "report failed");
}

#[test]
fn dropped_files_get_verdicts_and_downloads_identical_to_report() {
    let (root_dir, inbox) = scratch();
    let server = Server::start(&inbox, &["--lang", "nl"]);
    server.wait("the first build", |s| s["phase"] == "ready");

    let files = sample_files();
    let sent: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (status, dropped) = server.upload(&sent);
    assert_eq!(status, StatusCode::OK, "{dropped}");
    let dropped = dropped.as_array().unwrap();
    assert_eq!(dropped.len(), 13);
    assert!(
        dropped.iter().all(|d| d["refused"].is_null()),
        "{dropped:?}"
    );
    for (name, bytes) in &files {
        assert_eq!(&std::fs::read(inbox.join(name)).unwrap(), bytes, "{name}");
    }

    server.wait_built_with(13);
    // The verdicts: `check --format json`'s document, the same as the command gives.
    let check = server.check();
    let out = bin()
        .arg("check")
        .arg(&inbox)
        .arg("--config")
        .arg(root_dir.path().join("scoreboard.toml"))
        .args(["--lang", "nl", "--format", "json"])
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(check["summary"], cli["summary"]);
    assert_eq!(check["issues"], cli["issues"]);
    assert_eq!(check["summary"]["files"], 13);
    let del = check["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "scorebord_DEL_2025-03.xlsx")
        .unwrap();
    assert_eq!(del["sheets"][0]["kind"], "actions");
    assert_eq!(del["rows"]["read"], 18);
    assert_eq!(del["rows"]["rejected"], 1);

    // The page shows them: each file's verdict and the grid with the rows behind the issues.
    let page = server.get("/").text().unwrap();
    assert!(page.contains("scorebord_DEL_2025-03.xlsx"));
    assert!(page.contains("Sleep de spreadsheets van de directies hierheen"));
    let parts = server.json("/api/parts");
    let issues = parts["issues"].as_str().unwrap();
    assert_eq!(
        issues.matches("<tr").count(),
        cli["issues"].as_array().unwrap().len()
    );
    assert!(
        issues.contains("Actie-ID: DEL-14"),
        "the row behind an issue"
    );

    // Downloads: byte for byte what `report` writes with the same options.
    let expected = root_dir.path().join("expected");
    report_of(root_dir.path(), "nl", &expected);
    let same = |path: &str, file: &Path| {
        assert!(
            server.bytes(path) == std::fs::read(file).unwrap(),
            "{path} differs from {}",
            file.display()
        );
    };
    same("/download/workbook", &expected.join("report.xlsx"));
    same("/download/kpis.csv", &expected.join("kpis.csv"));
    same("/download/page", &expected.join("report.html"));
    let state = server.json("/api/state");
    let feedback = state["outputs"]["feedback"].as_array().unwrap();
    assert_eq!(feedback.len(), 5, "{state}");
    for name in feedback {
        let name = name.as_str().unwrap();
        same(
            &format!("/download/feedback/{name}"),
            &expected.join("feedback").join(name),
        );
    }
    let zip = server.bytes("/download/feedback.zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    assert_eq!(archive.len(), 5);
    assert!(archive.by_name(feedback[0].as_str().unwrap()).is_ok());
    let parquet = server.bytes("/download/kpis.parquet");
    assert_eq!(&parquet[..4], b"PAR1");
    for lang in ["nl", "fr", "en"] {
        let template = server.bytes(&format!("/download/template/{lang}"));
        assert_eq!(&template[..2], b"PK", "template {lang}");
    }

    // Another month: the outputs are rebuilt for it (from the read cache), then back.
    let (status, _) = server.post_form("/choose", &[("month", "2025-02")]);
    assert_eq!(status, StatusCode::OK);
    let state = server.wait("February", |s| {
        s["month"] == "2025-02" && s["phase"] == "ready"
    });
    assert_eq!(state["outputs"]["workbook"], "KPI_2025-02.xlsx");
    assert!(root_dir.path().join("reports/KPI_2025-02.xlsx").is_file());
    server.post_form("/choose", &[("month", "")]);
    server.wait("the latest month again", |s| {
        s["month"] == "2025-03" && s["phase"] == "ready"
    });

    // A file dropped again replaces the earlier one, which is moved aside, and says so.
    let (_, again) = server.upload(&[("scorebord_PO_2025-03.csv", files[11].1.clone())]);
    let message = again[0]["message"].as_str().unwrap();
    assert!(message.contains("vervangt"), "{message}");
    let aside = again[0]["replaced"].as_str().unwrap();
    assert!(aside.starts_with("removed/"), "{aside}");
    assert!(root_dir.path().join(aside).is_file());

    // Removing a file moves it aside too; the next build no longer has it.
    let (status, removed) = server.post_form("/remove", &[("file", "scorebord_GOD_2025-03.xls")]);
    assert_eq!(status, StatusCode::OK, "{removed}");
    let moved = removed["moved_to"].as_str().unwrap();
    assert!(root_dir.path().join(moved).is_file(), "{moved}");
    assert!(!inbox.join("scorebord_GOD_2025-03.xls").exists());
    server.wait_built_with(12);

    // A file copied into the folder by hand appears on the page once its copy has settled.
    std::fs::copy(root_dir.path().join(moved), inbox.join("hand_copied.xls")).unwrap();
    server.wait_built_with(13);
    assert!(server.get("/").text().unwrap().contains("hand_copied.xls"));
}

#[test]
fn every_refusal_is_answered_and_nothing_lands_outside_the_inbox() {
    let (root_dir, inbox) = scratch();
    let server = Server::start(
        &inbox,
        &["--lang", "en", "--max-file-mb", "1", "--max-upload-mb", "3"],
    );
    server.wait("the first build", |s| s["phase"] == "ready");
    let csv =
        b"Action ID;Description;Directorate;Deadline;Status\nA-1;x;ICT;31/03/2025;Done\n".to_vec();

    // Names: the path is dropped, the extension must be one the reader takes.
    let (status, dropped) = server.upload(&[
        ("../../escape.csv", csv.clone()),
        ("..\\..\\win.csv", csv.clone()),
        ("tool.exe", csv.clone()),
        (".hidden.csv", csv.clone()),
        ("CON.csv", csv.clone()),
        ("~$lock.xlsx", csv.clone()),
    ]);
    assert_eq!(status, StatusCode::OK);
    let stored: Vec<&str> = dropped
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["stored"].as_str())
        .collect();
    assert_eq!(stored, ["escape.csv", "win.csv", "hidden.csv", "_CON.csv"]);
    let refused: Vec<&str> = dropped
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["refused"].as_str())
        .collect();
    assert_eq!(refused.len(), 2, "{dropped}");
    assert!(refused[0].contains(".exe"), "{refused:?}");
    assert!(!root_dir.path().join("escape.csv").exists());
    assert!(!root_dir
        .path()
        .parent()
        .unwrap()
        .join("escape.csv")
        .exists());

    // Sizes: a file over the limit per file, a drop over the limit per request.
    let big = vec![b'x'; 1024 * 1024 + 1];
    let (status, dropped) = server.upload(&[("big.csv", big)]);
    assert_eq!(status, StatusCode::OK);
    assert!(
        dropped[0]["refused"].as_str().unwrap().contains("1 MB"),
        "{dropped}"
    );
    assert!(!inbox.join("big.csv").exists());
    let parts: Vec<(String, Vec<u8>)> = (0..4)
        .map(|i| (format!("p{i}.csv"), vec![b'y'; 900 * 1024]))
        .collect();
    let mut form = multipart::Form::new();
    for (name, bytes) in &parts {
        form = form.part(
            "files",
            multipart::Part::bytes(bytes.clone()).file_name(name.clone()),
        );
    }
    let r = server
        .client
        .post(server.url("/upload"))
        .header(ORIGIN, &server.base)
        .multipart(form)
        .send();
    // Answered 413 at once; the client may still be writing the rest when the server closes.
    match r {
        Ok(r) => assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE),
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }
    assert!(!inbox.join("p0.csv").exists() && !inbox.join("p3.csv").exists());
    assert_eq!(
        server.get("/api/state").status(),
        StatusCode::OK,
        "still up"
    );

    // Paths: nothing outside the output folder's named files is served.
    for path in [
        "/../scoreboard.toml",
        "/download/..%2Fscoreboard.toml",
        "/download/feedback/..%2F..%2Fscoreboard.toml",
        "/download/feedback/%2e%2e",
        "/download/template/..",
        "/inbox/escape.csv",
        "/assets/..%2F..%2Fscoreboard.toml",
    ] {
        let r = server.get(path);
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let text = r.text().unwrap();
        assert!(
            !text.contains("mandate_end") && !text.contains("src/"),
            "{path}: {text}"
        );
    }
    // Removing a name the inbox does not list is refused, whatever it points at.
    let (status, _) = server.post_form("/remove", &[("file", "../scoreboard.toml")]);
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(root_dir.path().join("scoreboard.toml").is_file());

    // A foreign Host (DNS rebinding) and a foreign or missing Origin (CSRF).
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let r = server
        .client
        .get(server.url("/api/state"))
        .header(HOST, format!("evil.example:{port}"))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::MISDIRECTED_REQUEST);
    for origin in [Some("http://evil.example"), Some("null"), None] {
        let mut headers = HeaderMap::new();
        if let Some(o) = origin {
            headers.insert(ORIGIN, HeaderValue::from_static(o));
        }
        let r = server
            .client
            .post(server.url("/remove"))
            .headers(headers)
            .form(&[("file", "escape.csv")])
            .send()
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{origin:?}");
    }
    assert!(
        inbox.join("escape.csv").is_file(),
        "a refused removal removes nothing"
    );
    let r = server
        .client
        .post(server.url("/choose"))
        .header(ORIGIN, &server.base)
        .form(&[("lang", "de")])
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // A form without its fields is refused in the page's words, not the library's.
    let (status, said) = server.post_form("/remove", &[("nothing", "x")]);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let said = said.to_string();
    assert!(
        said.contains("the form was incomplete") && !said.contains("deserialize"),
        "{said}"
    );
    // Error pages say what was refused, never the server's insides.
    let r = server.get("/nothing-here");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r
        .text()
        .unwrap()
        .contains("There is nothing at this address."));
}

#[test]
fn beyond_loopback_every_request_needs_the_token() {
    let (_root_dir, inbox) = scratch();
    // --bind makes the token compulsory; 127.0.0.1 stands in for another address here.
    let token = "a-test-token-of-32-characters-00";
    let server = Server::start(&inbox, &["--bind", "127.0.0.1", "--token", token]);
    assert_eq!(server.get("/").status(), StatusCode::UNAUTHORIZED);
    assert_eq!(server.get("/api/check").status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        server
            .get("/?token=wrong-token-wrong-token-wrong-tok")
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Once in the URL: a redirect that sets an HttpOnly, SameSite=Strict cookie.
    let r = server.get(&format!("/?token={token}"));
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_string();
    let with_cookie = |path: &str| {
        server
            .client
            .get(server.url(path))
            .header("Cookie", pair.clone())
            .send()
            .unwrap()
    };
    assert_eq!(with_cookie("/").status(), StatusCode::OK);
    assert_eq!(with_cookie("/api/state").status(), StatusCode::OK);
    let wrong = server
        .client
        .get(server.url("/"))
        .header(
            "Cookie",
            "scoreboard_token=a-test-token-of-32-characters-01",
        )
        .send()
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    // A short token is refused before anything listens.
    let out = bin()
        .arg("serve")
        .arg(&inbox)
        .args([
            "--no-open",
            "--port",
            "0",
            "--bind",
            "127.0.0.1",
            "--token",
            "short",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 16 characters"));
}

#[test]
fn a_hostile_workbook_gets_its_verdict_and_the_server_stays_up() {
    let (_root_dir, inbox) = scratch();
    // The read limits of `report` hold for dropped files: here 10 MiB unpacked at most.
    let server = Server::start(&inbox, &["--lang", "en", "--read-max-unpacked-mb", "10"]);
    server.wait("the first build", |s| s["phase"] == "ready");
    // Not a workbook, a workbook cut in half, and a zip bomb (12 MiB of zeros in a few KiB).
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .write_string(0, 0, "Action ID")
        .unwrap();
    let whole = book.save_to_buffer().unwrap();
    let half = whole[..whole.len() / 2].to_vec();
    let bomb = {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..12 {
            std::io::Write::write_all(&mut zip, &zeros).unwrap();
        }
        zip.finish().unwrap().into_inner()
    };
    let (status, _) = server.upload(&[
        ("tekst.xlsx", b"just some text, no workbook".to_vec()),
        ("half.xlsx", half),
        ("bomb.xlsx", bomb),
    ]);
    assert_eq!(status, StatusCode::OK);
    server.wait_built_with(3);
    let check = server.check();
    for f in check["files"].as_array().unwrap() {
        let status = f["status"].as_str().unwrap();
        assert!(["unreadable", "no_table"].contains(&status), "{f}");
        assert!(!f["not_used"].as_str().unwrap().is_empty(), "{f}");
    }
    let reasons: Vec<&str> = check["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["reason"].as_str())
        .collect();
    assert!(reasons.iter().any(|r| r.contains("unpack")), "{reasons:?}");
    assert_eq!(server.get("/").status(), StatusCode::OK, "still up");
}

/// Three-quarters of an upload's figures (p50, p95) in milliseconds.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[test]
fn a_file_dropped_into_a_sixty_file_folder_is_judged_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let status = bin()
        .args(["sample", "--size", "small", "--quiet", "-o"])
        .arg(dir.path().join("s"))
        .status()
        .unwrap();
    assert!(status.success());
    let inbox = dir.path().join("s/inbox");
    // December's workbook of one directorate, taken out to be dropped on the page.
    let extra = walk(&inbox)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .max()
        .unwrap();
    let bytes = std::fs::read(&extra).unwrap();
    std::fs::remove_file(&extra).unwrap();
    let files = walk(&inbox).len();
    assert_eq!(files, 59, "a 60-file folder once the drop lands");
    let server = Server::start(&inbox, &["--lang", "nl", "--month", "2025-12"]);
    server.wait_built_with(files);
    let generation = server.json("/api/state")["generation"].as_u64().unwrap();
    let name = format!("dropped_{}", extra.file_name().unwrap().to_string_lossy());
    let name = name.as_str();
    let start = Instant::now();
    let (status, _) = server.upload(&[(name, bytes)]);
    assert_eq!(status, StatusCode::OK);
    // The verdict: the file in the build's check; then the outputs written.
    let end = Instant::now() + DEADLINE;
    let verdict = loop {
        let check = server.check();
        let has = check["files"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["file"] == name));
        if has {
            break start.elapsed();
        }
        assert!(Instant::now() < end, "no verdict in time");
        std::thread::sleep(Duration::from_millis(10));
    };
    let state = server.wait("the outputs", |s| {
        s["phase"] == "ready" && s["generation"].as_u64().unwrap() > generation + 1
    });
    let written = start.elapsed();
    assert_eq!(state["error"], Value::Null);
    eprintln!(
        "serve timing: verdict after {:.0} ms, dashboard and workbook after {:.0} ms",
        verdict.as_secs_f64() * 1000.0,
        written.as_secs_f64() * 1000.0
    );
    // The issue's bounds hold for the release binary (docs/serve.md has the figures); a debug
    // build on a loaded machine gets some slack, and still fails when a rebuild reads every
    // file again.
    let slack = if cfg!(debug_assertions) { 4 } else { 1 };
    assert!(
        verdict <= Duration::from_secs(slack),
        "verdict after {verdict:?}"
    );
    assert!(
        written <= Duration::from_secs(2 * slack),
        "outputs after {written:?}"
    );
}

#[test]
fn under_load_no_request_fails_and_the_final_workbook_equals_report() {
    let (root_dir, inbox) = scratch();
    let server = Server::start(&inbox, &["--lang", "fr"]);
    server.wait("the first build", |s| s["phase"] == "ready");
    let started = Instant::now();
    let base = server.base.clone();
    let failures = std::sync::Mutex::new(Vec::<String>::new());
    let latencies = std::sync::Mutex::new(Vec::<f64>::new());
    std::thread::scope(|scope| {
        for client in 0..10 {
            let (base, failures, latencies) = (&base, &failures, &latencies);
            scope.spawn(move || {
                let http = Client::builder()
                    .timeout(Duration::from_secs(60))
                    .build()
                    .unwrap();
                for n in 0..10 {
                    let body = format!(
                        "Action ID;Description;Directorate;Deadline;Status;Completed on\n\
                         L{client}-{n};load;DIR{client};31/03/2025;Done;15/03/2025\n"
                    );
                    let form = multipart::Form::new().part(
                        "files",
                        multipart::Part::bytes(body.into_bytes())
                            .file_name(format!("load_{client}_{n}.csv")),
                    );
                    let t = Instant::now();
                    let r = http
                        .post(format!("{base}/upload"))
                        .header(ORIGIN, base.as_str())
                        .header("Accept", "application/json")
                        .multipart(form)
                        .send();
                    latencies
                        .lock()
                        .unwrap()
                        .push(t.elapsed().as_secs_f64() * 1000.0);
                    match r {
                        Ok(r) if r.status().is_success() => {}
                        Ok(r) => failures
                            .lock()
                            .unwrap()
                            .push(format!("upload {}", r.status())),
                        Err(e) => failures.lock().unwrap().push(format!("upload {e}")),
                    }
                }
            });
        }
        for reader in 0..5 {
            let (base, failures, latencies) = (&base, &failures, &latencies);
            scope.spawn(move || {
                let http = Client::builder()
                    .timeout(Duration::from_secs(60))
                    .build()
                    .unwrap();
                let paths = ["/", "/api/parts", "/api/check", "/api/state", "/dashboard"];
                for n in 0..300 {
                    let path = paths[(n + reader) % paths.len()];
                    let t = Instant::now();
                    let r = http.get(format!("{base}{path}")).send().and_then(|r| {
                        let ok = r.status().is_success();
                        r.bytes().map(|_| ok)
                    });
                    latencies
                        .lock()
                        .unwrap()
                        .push(t.elapsed().as_secs_f64() * 1000.0);
                    match r {
                        Ok(true) => {}
                        Ok(false) => failures.lock().unwrap().push(format!("GET {path}")),
                        Err(e) => failures.lock().unwrap().push(format!("GET {path}: {e}")),
                    }
                }
            });
        }
    });
    let took = started.elapsed();
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{failures:?}");
    let mut latencies = latencies.into_inner().unwrap();
    assert_eq!(latencies.len(), 100 + 1500);
    latencies.sort_by(f64::total_cmp);
    server.wait_built_with(100);
    let peak = std::fs::read_to_string(format!("/proc/{}/status", server.child.id()))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<u64>()
                    .unwrap_or(0)
                    / 1024
            })
        })
        .unwrap_or(0);
    eprintln!(
        "serve load: 100 uploads + 1500 requests in {:.1} s; p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms; server peak {peak} MiB",
        took.as_secs_f64(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        latencies.last().unwrap()
    );
    assert!(took <= Duration::from_secs(60), "load took {took:?}");
    let expected = root_dir.path().join("expected");
    report_of(root_dir.path(), "fr", &expected);
    assert!(
        server.bytes("/download/workbook") == std::fs::read(expected.join("report.xlsx")).unwrap(),
        "the final workbook differs from report's"
    );
}

/// A free loopback port (bound, then let go).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Debian's chromedriver, started on a free port, killed when dropped.
struct Driver(Child, u16);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Driver {
    /// `None` only when SCOREBOARD_SKIP_BROWSER is set and no chromedriver is installed; CI
    /// installs Debian's chromium and chromium-driver (.ci/run).
    fn start() -> Option<Driver> {
        let exe = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.is_file());
        let Some(exe) = exe else {
            assert!(
                std::env::var_os("SCOREBOARD_SKIP_BROWSER").is_some(),
                "the browser test needs Debian's chromium and chromium-driver \
                 (apt-get install chromium chromium-driver), or SCOREBOARD_SKIP_BROWSER=1"
            );
            return None;
        };
        let port = free_port();
        let child = std::process::Command::new(exe)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let end = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < end, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Driver(child, port))
    }
}

#[test]
fn in_a_browser_files_dropped_give_verdicts_and_the_french_workbook() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let (root_dir, inbox) = scratch();
    let server = Server::start(&inbox, &["--lang", "nl"]);
    server.wait("the first build", |s| s["phase"] == "ready");
    let downloads = root_dir.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    let profile = root_dir.path().join("chromium-profile");
    let shots = root().join("target/serve-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let mut files: Vec<PathBuf> = walk(&root().join("samples/inbox"));
    files.sort();

    // Multi-threaded, so the blocking HTTP client of the other steps can run in place.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        use fantoccini::{ClientBuilder, Locator};
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--window-size=1280,1800",
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                },
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let c = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.1))
            .await
            .expect("a WebDriver session in headless Chromium");
        let script = |c: &fantoccini::Client, js: &str| {
            let (c, js) = (c.clone(), js.to_string());
            async move { c.execute(&js, vec![]).await.unwrap() }
        };
        let until = |what: &'static str, js: &str| {
            let c = c.clone();
            let js = js.to_string();
            async move {
                let end = Instant::now() + DEADLINE;
                loop {
                    if c.execute(&js, vec![]).await.ok() == Some(Value::Bool(true)) {
                        return;
                    }
                    assert!(Instant::now() < end, "{what}: not in time");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        };

        let click = |xpath: String| {
            let c = c.clone();
            async move {
                c.find(Locator::XPath(&xpath))
                    .await
                    .unwrap()
                    .click()
                    .await
                    .unwrap()
            }
        };

        c.goto(&format!("{}/", server.base)).await.unwrap();
        // Drop the samples through the file input, as a picked selection.
        let input = c.find(Locator::Css("#file-input")).await.unwrap();
        let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        input.send_keys(&paths.join("\n")).await.unwrap();
        until(
            "the 13 verdicts and the downloads",
            "return document.querySelectorAll('#files-body article.file').length === 13 \
             && document.body.dataset.phase === 'ready' \
             && !!document.querySelector('#downloads-body a[href=\"/download/workbook\"]');",
        )
        .await;
        let verdict = script(
            &c,
            "return document.querySelector('#files-body article[data-file=\"scorebord_DEL_2025-03.xlsx\"]').textContent;",
        )
        .await;
        assert!(
            verdict.as_str().unwrap().contains("18 rij(en) gelezen · 16 behouden · 1 geweigerd"),
            "{verdict}"
        );
        std::fs::write(shots.join("serve-nl.png"), c.screenshot().await.unwrap()).unwrap();

        // Correct one date where the grid shows it: 31/02/2025 at H20.
        let row = "//tr[@data-file='scorebord_DEL_2025-03.xlsx'][td[3][normalize-space()='H20']]";
        click(format!("{row}//summary")).await;
        let value = c
            .find(Locator::XPath(&format!("{row}//input[@name='value']")))
            .await
            .unwrap();
        value.clear().await.unwrap();
        value.send_keys("28/02/2025").await.unwrap();
        c.find(Locator::XPath(&format!("{row}//input[@name='reason']")))
            .await
            .unwrap()
            .send_keys("typefout, mail van 3/3")
            .await
            .unwrap();
        click(format!("{row}//button[@type='submit']")).await;
        until(
            "the corrected date as a note",
            "return [...document.querySelectorAll('#grid-body tr[data-file=\"scorebord_DEL_2025-03.xlsx\"]')] \
             .some(r => r.cells[2].textContent.trim() === 'H20' && r.dataset.severity === 'info' \
             && r.cells[4].textContent.includes('hier verbeterd'));",
        )
        .await;
        assert!(inbox.join(".scoreboard-corrections.jsonl").is_file());
        // The page settles on the rebuild's last publication before it is used again.
        let settled = tokio::task::block_in_place(|| {
            server.wait("the corrected build written", |s| s["phase"] == "ready")
        });
        until(
            "the page on the last build",
            &format!(
                "return document.body.dataset.generation === '{}';",
                settled["generation"]
            ),
        )
        .await;

        // Only errors: every row left is an error, and the count says so.
        let all = script(&c, "return document.querySelectorAll('#grid-body tr').length;").await;
        c.find(Locator::Css("#f-errors")).await.unwrap().click().await.unwrap();
        let shown = script(
            &c,
            "return [...document.querySelectorAll('#grid-body tr')].filter(r => !r.hidden).map(r => r.dataset.severity);",
        )
        .await;
        let shown: Vec<&str> = shown.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert!(!shown.is_empty() && shown.iter().all(|s| *s == "error"), "{shown:?}");
        assert!((shown.len() as u64) < all.as_u64().unwrap());
        let count = script(&c, "return document.getElementById('shown').textContent;").await;
        assert!(
            count.as_str().unwrap().starts_with(&format!("{} van {}", shown.len(), all)),
            "{count}"
        );

        // French: the page reloads in it once the build in French is read.
        let lang = c.find(Locator::Css("#lang")).await.unwrap();
        lang.select_by_value("fr").await.unwrap();
        until(
            "the page in French with its downloads",
            "return document.documentElement.lang === 'fr' \
             && !!document.querySelector('#downloads-body a[href=\"/download/workbook\"]');",
        )
        .await;
        tokio::task::block_in_place(|| {
            server.wait("the French build written", |s| {
                s["lang"] == "fr" && s["phase"] == "ready"
            })
        });
        c.refresh().await.unwrap();
        let heading = script(&c, "return document.querySelector('h1').textContent;").await;
        assert_eq!(heading, "Zone de dépôt");
        // The grid's filter outlived the reloads: still only the errors.
        let kept = script(
            &c,
            "return document.getElementById('f-errors').checked              && [...document.querySelectorAll('#grid-body tr')].filter(r => !r.hidden).every(r => r.dataset.severity === 'error');",
        )
        .await;
        assert_eq!(kept, Value::Bool(true), "the filter was reset by the language's reload");
        std::fs::write(shots.join("serve-fr.png"), c.screenshot().await.unwrap()).unwrap();

        // Download the workbook as the analyst does: a click on its link.
        c.find(Locator::Css("#downloads-body a[href=\"/download/workbook\"]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let end = Instant::now() + DEADLINE;
        let downloaded = loop {
            let done: Vec<PathBuf> = std::fs::read_dir(&downloads)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
                .collect();
            if let [one] = done.as_slice() {
                break one.clone();
            }
            assert!(Instant::now() < end, "no download in time");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(downloaded.file_name().unwrap(), "KPI_2025-03.xlsx");
        let expected = root_dir.path().join("expected");
        tokio::task::block_in_place(|| report_of(root_dir.path(), "fr", &expected));
        assert!(
            std::fs::read(&downloaded).unwrap() == std::fs::read(expected.join("report.xlsx")).unwrap(),
            "the downloaded workbook differs from report --lang fr"
        );

        // A directorate renamed a required column: map it on the page.
        let ict = "scorebord_ICT_2025-03.xlsx";
        let bytes = std::fs::read(
            root().join("tests/fixtures/careless/renamed_required").join(ict),
        )
        .unwrap();
        tokio::task::block_in_place(|| {
            server.upload(&[(ict, bytes)]);
            server.wait_built_with(14)
        });
        // From the sheet's error in the grid to its mapping page, the missing column chosen
        // among the sheet's headers, saved, and back to the drop zone.
        let link = "//tr[@data-file='scorebord_ICT_2025-03.xlsx']//a[contains(@class,'map')]";
        until(
            "the mapping link",
            "return !!document.querySelector('#grid-body a.map');",
        )
        .await;
        click(link.to_string()).await;
        until(
            "the mapping page",
            "return !!document.querySelector('form.map-page');",
        )
        .await;
        let header = c
            .find(Locator::Css("tr.header-row .mark"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(header, "1 en-tête");
        c.find(Locator::Id("col-deadline"))
            .await
            .unwrap()
            .select_by_value("Uiterste datum")
            .await
            .unwrap();
        std::fs::write(shots.join("serve-fr-map-page.png"), c.screenshot().await.unwrap()).unwrap();
        click("//form[contains(@class,'map-page')]//button[@type='submit']".to_string()).await;
        let said = c
            .find(Locator::Css("body.message p"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(said.contains("“Uiterste datum” → deadline"), "{said}");
        click("//a[@href='/']".to_string()).await;
        until(
            "the renamed column recognised",
            "const f = document.querySelector('#files-body article[data-file=\"scorebord_ICT_2025-03.xlsx\"]'); \
             return !!f && f.textContent.includes('8 ligne(s) lue(s) · 8 retenue(s) · 0 rejetée(s)');",
        )
        .await;
        let config = std::fs::read_to_string(root_dir.path().join("scoreboard.toml")).unwrap();
        assert!(config.contains("deadline = [\"Uiterste datum\"]"), "{config}");
        std::fs::write(shots.join("serve-fr-mapped.png"), c.screenshot().await.unwrap()).unwrap();
        c.close().await.unwrap();
    });
}

#[test]
fn a_taken_port_gives_the_next_free_one_and_says_so() {
    let (_root_dir, inbox) = scratch();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut child = bin()
        .arg("serve")
        .arg(&inbox)
        .args(["--no-open", "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let mut said = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut said)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(said.contains(&format!("port {port} is taken")), "{said}");
    let used = said
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .parse::<u16>()
        .unwrap();
    assert!(used > port && used <= port + 20, "{said}");
    assert!(
        first.contains(&format!("http://127.0.0.1:{used}/")),
        "{first}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly_with_code_0() {
    let (_root_dir, inbox) = scratch();
    let files = sample_files();
    for (name, bytes) in &files {
        std::fs::write(inbox.join(name), bytes).unwrap();
    }
    let mut server = Server::start(&inbox, &["--lang", "en"]);
    server.wait_built_with(13);
    let pid = server.child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let end = Instant::now() + DEADLINE;
    let code = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status.code();
        }
        assert!(Instant::now() < end, "serve did not stop after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(0));
    // Nothing half-written is left in the output folder.
    let reports = inbox.parent().unwrap().join("reports");
    let left: Vec<String> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(std::net::TcpStream::connect(server.base.trim_start_matches("http://")).is_err());
}

#[test]
fn a_cell_corrected_on_the_page_is_kept_beside_the_inbox_and_can_be_undone() {
    let (root_dir, inbox) = scratch();
    let server = Server::start(&inbox, &["--lang", "en"]);
    let files = sample_files();
    let sent: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    server.upload(&sent);
    server.wait_built_with(13);
    let absence = "afwezigheden_2024-2025.xlsx";
    let at_b81 = |check: &Value| -> Vec<(String, String)> {
        check["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["file"] == absence && i["cell"] == "B81")
            .map(|i| {
                (
                    i["severity"].as_str().unwrap().to_string(),
                    i["reason_key"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(at_b81(&server.check())[0].0, "error");
    let page = server.get("/").text().unwrap();
    assert!(
        page.contains("action=\"/correct\""),
        "a form to correct an error cell"
    );

    // Save → the verdict updated, the correction kept in the inbox's hidden file.
    let start = Instant::now();
    let (status, said) = server.post_form(
        "/correct",
        &[
            ("file", absence),
            ("sheet", "Verzuim"),
            ("cell", "B81"),
            ("value", "12/2024"),
            ("reason", "mail of 3/3"),
        ],
    );
    assert_eq!(status, StatusCode::OK, "{said}");
    assert!(
        said["message"]
            .as_str()
            .unwrap()
            .contains("“13/2024” → “12/2024”"),
        "{said}"
    );
    let end = Instant::now() + DEADLINE;
    while at_b81(&server.check()) != [("info".to_string(), "corrected".to_string())] {
        assert!(
            Instant::now() < end,
            "the correction is not applied: {:?}",
            at_b81(&server.check())
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    eprintln!(
        "serve timing: a correction saved on the page is in the verdicts after {:.0} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let book = std::fs::read_to_string(inbox.join(".scoreboard-corrections.jsonl")).unwrap();
    assert!(book.contains("\"original\":\"13/2024\""), "{book}");
    assert_eq!(
        std::fs::read(inbox.join(absence)).unwrap(),
        files.iter().find(|f| f.0 == absence).unwrap().1
    );

    // Undo on the page: the error is back.
    let (status, said) = server.post_form(
        "/undo",
        &[("file", absence), ("sheet", "Verzuim"), ("cell", "B81")],
    );
    assert_eq!(status, StatusCode::OK, "{said}");
    let end = Instant::now() + DEADLINE;
    while at_b81(&server.check()).first().map(|i| i.0.as_str()) != Some("error") {
        assert!(Instant::now() < end, "not undone");
        std::thread::sleep(Duration::from_millis(10));
    }
    // A cell of a file the inbox does not list is refused.
    let (status, _) = server.post_form(
        "/correct",
        &[
            ("file", "../scoreboard.toml"),
            ("sheet", "x"),
            ("cell", "A1"),
            ("value", "x"),
            ("reason", "x"),
        ],
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A removed file can be put back from the page.
    let (_, removed) = server.post_form("/remove", &[("file", absence)]);
    server.wait_built_with(12);
    let moved = removed["moved_to"].as_str().unwrap();
    let shown = moved.strip_prefix("removed/").unwrap();
    assert!(server.json("/api/parts")["removed"]
        .as_str()
        .unwrap()
        .contains(shown));
    let (status, said) = server.post_form("/restore", &[("path", shown)]);
    assert_eq!(status, StatusCode::OK, "{said}");
    server.wait_built_with(13);
    assert!(inbox.join(absence).is_file());
    let (status, _) = server.post_form("/restore", &[("path", "../../scoreboard.toml")]);
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(root_dir.path().join("scoreboard.toml").is_file());
}

#[test]
fn a_mapping_made_on_the_page_makes_a_renamed_column_recognised_and_keeps_the_configs_comments() {
    let (root_dir, inbox) = scratch();
    let config = root_dir.path().join("scoreboard.toml");
    let before = std::fs::read_to_string(&config).unwrap();
    let server = Server::start(&inbox, &["--lang", "nl"]);
    let ict = "scorebord_ICT_2025-03.xlsx";
    let bytes = std::fs::read(
        root()
            .join("tests/fixtures/careless/renamed_required")
            .join(ict),
    )
    .unwrap();
    server.upload(&[(ict, bytes)]);
    server.wait_built_with(1);
    let acties = |check: &Value| -> (Value, Value) {
        let f = &check["files"][0];
        let s = f["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["sheet"] == "Acties")
            .unwrap();
        (s["kind"].clone(), s["rows"]["kept"].clone())
    };
    assert_eq!(acties(&server.check()), (Value::Null, Value::from(0)));
    let parts = server.json("/api/parts");
    let link = "/map?file=scorebord_ICT_2025-03.xlsx&amp;sheet=Acties";
    for part in ["issues", "files"] {
        assert!(
            parts[part].as_str().unwrap().contains(link),
            "a link to the sheet's mapping in {part}"
        );
    }
    // The mapping page: the header row marked, the kinds it comes closest to (actions first,
    // the missing column said), the headers it names chosen, the missing one guessed.
    let page = server.get(&link.replace("&amp;", "&")).text().unwrap();
    assert!(
        page.contains("<tr class=\"header-row\"><th scope=\"row\"><span class=\"mark\">1 kopregel"),
        "{page}"
    );
    let first_kind = page.split("<ol class=\"kinds\">").nth(1).unwrap();
    assert!(
        first_kind.starts_with("<li class=\"chosen\"><strong>✓ acties: 11 van de 12 kolommen benoemd</strong><span class=\"muted\"> — ontbreekt: Deadline (deadline)"),
        "{first_kind}"
    );
    assert!(
        page.contains("<option value=\"Uiterste datum\" selected>G · Uiterste datum</option>"),
        "the likeliest header for the missing column"
    );
    assert!(
        page.contains("<option value=\"Actie-ID\" selected>A · Actie-ID</option>"),
        "a header the tool knows"
    );

    let start = Instant::now();
    let (status, said) = server.post_form(
        "/map",
        &[
            ("file", ict),
            ("sheet", "Acties"),
            ("kind", "actions"),
            ("header_row", "1"),
            ("scope", "aliases"),
            ("col.action_id", "Actie-ID"),
            ("col.deadline", "Uiterste datum"),
        ],
    );
    assert_eq!(status, StatusCode::OK, "{said}");
    let message = said["message"].as_str().unwrap();
    assert!(
        message.contains("“Uiterste datum” → deadline") && !message.contains("Actie-ID"),
        "only the new pair is saved and said: {message}"
    );
    let end = Instant::now() + DEADLINE;
    while acties(&server.check()) != (Value::from("actions"), Value::from(8)) {
        assert!(
            Instant::now() < end,
            "not recognised: {:?}",
            acties(&server.check())
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    eprintln!(
        "serve timing: a mapping saved on the page is in the verdicts after {:.0} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let after = std::fs::read_to_string(&config).unwrap();
    assert!(
        after.starts_with(before.trim_end()),
        "comments and layout kept:\n{after}"
    );
    assert!(after.contains("deadline = [\"Uiterste datum\"]"), "{after}");
    // A data row's value is no header: refused, saying so, nothing written.
    let written = std::fs::read_to_string(&config).unwrap();
    let (status, said) = server.post_form(
        "/map",
        &[
            ("file", ict),
            ("sheet", "Acties"),
            ("kind", "actions"),
            ("header_row", "2"),
            ("col.deadline", "2025-01-28"),
        ],
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        said[0]["message"],
        "“2025-01-28” is een waarde in rij 2, geen kolomnaam: kies de rij met de kolomnamen"
    );
    // A header row beyond the 30 searched: refused before anything is tried.
    let (status, _) = server.post_form(
        "/map",
        &[
            ("file", ict),
            ("sheet", "Acties"),
            ("kind", "actions"),
            ("header_row", "35"),
            ("scope", "rule"),
            ("col.deadline", "Uiterste datum"),
        ],
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(std::fs::read_to_string(&config).unwrap(), written);
    // Twelve saves at once: none lost.
    std::thread::scope(|scope| {
        for i in 0..12 {
            let server = &server;
            scope.spawn(move || {
                let header = format!("Doel {i}");
                let (status, said) = server.post_form(
                    "/map",
                    &[("kind", "actions"), ("col.objective", header.as_str())],
                );
                assert_eq!(status, StatusCode::OK, "{said}");
            });
        }
    });
    let text = std::fs::read_to_string(&config).unwrap();
    for i in 0..12 {
        assert!(
            text.contains(&format!("\"Doel {i}\"")),
            "Doel {i} lost:\n{text}"
        );
    }

    // For one file and sheet only: a rule, named by the file's name up to its first digit.
    let (status, said) = server.post_form(
        "/map",
        &[
            ("file", ict),
            ("sheet", "Acties"),
            ("kind", "actions"),
            ("col.completed_on", "Klaar op"),
            ("header_row", "1"),
            ("scope", "rule"),
        ],
    );
    assert_eq!(status, StatusCode::OK, "{said}");
    let after = std::fs::read_to_string(&config).unwrap();
    assert!(
        after.contains("[[sheets]]\nfile = \"scorebord_ICT_\"\nsheet = \"Acties\"\nkind = \"actions\"\nheader_row = 1\ncolumns = { completed_on = \"Klaar op\" }"),
        "{after}"
    );
    // The same header in next month's file is recognised by itself, by report too.
    assert_eq!(check_json(&inbox, &config).0, 0);

    // Undone on the page, alias and rule: the sheet is rejected again.
    let mappings = server.json("/api/parts")["mappings"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        mappings.contains("acties: “Uiterste datum” is deadline"),
        "{mappings}"
    );
    for form in [
        &[
            ("kind", "actions"),
            ("column", "deadline"),
            ("header", "Uiterste datum"),
        ][..],
        &[("file", "scorebord_ICT_"), ("sheet", "Acties")][..],
    ] {
        let (status, said) = server.post_form("/unmap", form);
        assert_eq!(status, StatusCode::OK, "{said}");
    }
    let after = std::fs::read_to_string(&config).unwrap();
    assert!(
        !after.contains("Uiterste datum") && !after.contains("[[sheets]]"),
        "{after}"
    );
    let end = Instant::now() + DEADLINE;
    while acties(&server.check()) != (Value::Null, Value::from(0)) {
        assert!(
            Instant::now() < end,
            "still read: {:?}",
            acties(&server.check())
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_sheet_that_matches_no_kind_is_mapped_from_a_header_row_chosen_on_the_page_and_undone() {
    let (root_dir, inbox) = scratch();
    let config = root_dir.path().join("scoreboard.toml");
    let before = std::fs::read_to_string(&config).unwrap();
    // A title, a version block whose headers look like the table's, and the table in row 5
    // under headers the tool knows nothing of.
    let name = "planning_ICT_2025-03.xlsx";
    let made = root_dir.path().join(name);
    write_xlsx(
        &made,
        &[
            &["Planning ICT"],
            &["Nr", "Datum", "Stand"],
            &["v3", "01/03/2025", "definitief"],
            &[],
            &["Nr", "Wat", "Datum", "Stand"],
            &["ICT-01", "Laptops", "31/03/2025", "Afgewerkt"],
            &["ICT-02", "Wifi", "30/06/2025", "Lopend"],
        ],
    );
    let server = Server::start(&inbox, &["--lang", "en"]);
    server.upload(&[(name, std::fs::read(&made).unwrap())]);
    server.wait_built_with(1);
    let file = |check: &Value| -> (Value, Value, Value) {
        let f = &check["files"][0];
        (
            f["status"].clone(),
            f["sheets"][0]["kind"].clone(),
            f["rows"]["kept"].clone(),
        )
    };
    assert_eq!(file(&server.check()).0, "no_table");
    let link = "/map?file=planning_ICT_2025-03.xlsx&amp;sheet=Sheet1";
    assert!(
        server.json("/api/parts")["files"]
            .as_str()
            .unwrap()
            .contains(link),
        "a file with no table links to its sheets' mapping"
    );
    // Row 5 chosen as the header, as the sheet shows it; its cells are the choices.
    let page = server
        .get(&format!(
            "{}&row=5&kind=actions",
            link.replace("&amp;", "&")
        ))
        .text()
        .unwrap();
    assert!(
        page.contains("<tr class=\"header-row\"><th scope=\"row\"><span class=\"mark\">5 header</span></th><td>Nr</td><td>Wat</td><td>Datum</td><td>Stand</td>"),
        "{page}"
    );
    assert!(
        page.contains("<option value=\"Wat\">B · Wat</option>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/map?file=planning_ICT_2025-03.xlsx&amp;sheet=Sheet1&amp;row=2&amp;kind=actions\""),
        "another row is one click away"
    );
    assert!(
        page.contains("header in row 5 only"),
        "the rule it would be"
    );
    assert!(
        page.contains("<input type=\"radio\" name=\"scope\" value=\"rule\" checked>"),
        "a sheet of no kind: its headers are its own, a rule is chosen at first"
    );

    // Not enough: refused with what is missing, nothing written.
    let form = |pairs: &[(&'static str, &'static str)]| {
        let mut f = vec![
            ("file", name),
            ("sheet", "Sheet1"),
            ("kind", "actions"),
            ("header_row", "5"),
            ("scope", "aliases"),
        ];
        f.extend_from_slice(pairs);
        f
    };
    // Posted as the page's own form (no script): the page again, choices kept, reason shown.
    let r = server
        .client
        .post(server.url("/map"))
        .header(ORIGIN, &server.base)
        .form(&form(&[("col.action_id", "Nr")]))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let again = r.text().unwrap();
    assert!(
        again.contains("<p class=\"refused-banner\" role=\"alert\">with this mapping the sheet would still not be read as actions from row 5: Deadline (deadline), Status (status) missing</p>"),
        "{again}"
    );
    assert!(
        again.contains("<option value=\"Nr\" selected>A · Nr</option>")
            && again.contains("<input type=\"radio\" name=\"scope\" value=\"aliases\" checked>"),
        "the analyst's choices kept: {again}"
    );
    let (status, said) = server.post_form("/map", &form(&[("col.action_id", "Nr")]));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        said[0]["message"],
        "with this mapping the sheet would still not be read as actions from row 5: Deadline (deadline), Status (status) missing"
    );
    assert_eq!(std::fs::read_to_string(&config).unwrap(), before);

    // Enough, as aliases: but aliases would find the version block in row 2 first, so it is
    // saved as a rule for this file-name pattern, sheet and header row, and said so.
    let start = Instant::now();
    let (status, said) = server.post_form(
        "/map",
        &form(&[
            ("col.action_id", "Nr"),
            ("col.title", "Wat"),
            ("col.deadline", "Datum"),
            ("col.status", "Stand"),
        ]),
    );
    assert_eq!(status, StatusCode::OK, "{said}");
    assert!(
        said["message"].as_str().unwrap().contains(
            "as a rule for files named like “planning_ICT_”, sheet “Sheet1”, header in row 5"
        ),
        "{said}"
    );
    let end = Instant::now() + DEADLINE;
    while file(&server.check()) != (Value::from("read"), Value::from("actions"), Value::from(2)) {
        assert!(
            Instant::now() < end,
            "not read: {:?}",
            file(&server.check())
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    eprintln!(
        "serve timing: a sheet of no kind mapped on the page is in the verdicts after {:.0} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let after = std::fs::read_to_string(&config).unwrap();
    assert!(after.starts_with(before.trim_end()), "{after}");
    assert!(
        after.contains("[[sheets]]\nfile = \"planning_ICT_\"\nsheet = \"Sheet1\"\nkind = \"actions\"\nheader_row = 5\n"),
        "{after}"
    );
    assert!(!after.contains("[\"Nr\"]"), "no alias: {after}");

    // Listed on the page with its undo; undone, the config is as before and the file unread.
    let mappings = server.json("/api/parts")["mappings"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        mappings
            .contains("files named like “planning_ICT_”, sheet “Sheet1”: actions, header in row 5"),
        "{mappings}"
    );
    let (status, said) =
        server.post_form("/unmap", &[("file", "planning_ICT_"), ("sheet", "Sheet1")]);
    assert_eq!(status, StatusCode::OK, "{said}");
    assert_eq!(
        std::fs::read_to_string(&config).unwrap().trim_end(),
        before.trim_end()
    );
    let end = Instant::now() + DEADLINE;
    while file(&server.check()).0 != "no_table" {
        assert!(
            Instant::now() < end,
            "still read: {:?}",
            file(&server.check())
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let (status, said) =
        server.post_form("/unmap", &[("file", "planning_ICT_"), ("sheet", "Sheet1")]);
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        said[0]["message"].as_str().unwrap().contains("not in"),
        "{said}"
    );

    // Odd addresses get the page's own answers, never an extractor's message.
    let answer = |path: &str| {
        let r = server.get(path);
        (r.status(), r.text().unwrap())
    };
    let (status, body) = answer("/map?file=..%2F..%2Fscoreboard.toml&sheet=x");
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = answer("/map?file=planning_ICT_2025-03.xlsx&sheet=Nope");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("planning_ICT_2025-03.xlsx has no sheet “Nope”"),
        "{body}"
    );
    let (status, body) = answer("/map");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("the form was incomplete"), "{body}");
    let (status, body) =
        answer("/map?file=planning_ICT_2025-03.xlsx&sheet=Sheet1&row=abc&kind=%3Cscript%3E&x=1");
    assert_eq!(
        status,
        StatusCode::OK,
        "a row and kind it cannot use: the ones it finds"
    );
    assert!(
        body.contains("class=\"header-row\"") && !body.contains("<script>"),
        "{body}"
    );
    let (status, _) = server.post_form(
        "/map",
        &[
            ("file", "../scoreboard.toml"),
            ("sheet", "x"),
            ("kind", "actions"),
            ("col.deadline", "x"),
        ],
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        std::fs::read_to_string(&config).unwrap().trim_end(),
        before.trim_end()
    );
}
