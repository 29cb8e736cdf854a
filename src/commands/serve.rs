//! `scoreboard serve`: the drop zone in a browser. Listens on 127.0.0.1 (or `--bind`, then with
//! an access token), builds the inbox at once and again after each drop, removal or choice on
//! the page, and after each file copied into the folder by hand. Ctrl-C ends it with code 0.
//! The page and its rules live in [`crate::serve`]; docs/serve.md describes both.

use crate::cli::ServeArgs;
use crate::config::RunConfig;
use crate::error::RunError;
use crate::i18n::labels;
use crate::serve::app::{router, App};
use crate::serve::build::{run_builder, Built, Choice, Shared};
use crate::serve::Guard;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How many ports after the asked one are tried when it is taken.
const PORTS_TRIED: u16 = 20;
/// A client must send its request's headers within this time.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 256;

/// Serves until Ctrl-C; returns 0.
///
/// # Errors
/// A [`RunError`] for bad arguments or config, an output folder that cannot be made, or no
/// free port.
pub fn run(args: &ServeArgs) -> Result<u8, RunError> {
    let config = RunConfig::for_serve(args)?;
    std::fs::create_dir_all(&config.out_dir).map_err(|e| RunError::Write {
        path: config.out_dir.clone(),
        detail: format!("cannot create the output folder: {e}"),
    })?;
    let l = labels(config.run.lang);
    let (listener, port) = listen(config.bind, config.port)?;
    let host = match config.bind {
        IpAddr::V6(v6) => format!("[{v6}]"),
        v4 => v4.to_string(),
    };
    let url = match &config.token {
        Some(token) => format!("http://{host}:{port}/?token={token}"),
        None => format!("http://{host}:{port}/"),
    };
    if port != config.port && config.port != 0 {
        let (asked, used) = (config.port.to_string(), port.to_string());
        eprintln!(
            "{}",
            l.fill(&l.terminal.port_taken, &[("port", asked), ("used", used)])
        );
    }
    let folder = config.dir.display().to_string();
    say(&l.fill(
        &l.terminal.serving,
        &[
            ("folder", folder.clone()),
            ("url", url.clone()),
            ("out", config.out_dir.display().to_string()),
        ],
    ));
    if let Some(token) = &config.token {
        println!(
            "{}",
            l.fill(&l.terminal.token_once, &[("token", token.clone())])
        );
    }
    let quiet = config.run.quiet;
    let _ = crate::interrupt::on_interrupt(move |_| {
        if !quiet {
            eprintln!(
                "{}",
                l.fill(&l.terminal.stopped_serving, &[("folder", folder.clone())])
            );
        }
        0
    });
    let first = Choice {
        lang: config.run.lang,
        month: config.month.clone(),
    };
    let open = config.open;
    let guard = Guard::new(config.bind, port);
    let shared = Arc::new(Shared {
        config,
        notes: Mutex::new(Default::default()),
    });
    let (publish, built) = tokio::sync::watch::channel(Built::before_first(first.clone()));
    let (wake, woken) = std::sync::mpsc::channel();
    let builder = {
        let shared = shared.clone();
        let first = first.clone();
        std::thread::Builder::new()
            .name("rebuild".into())
            .spawn(move || run_builder(shared, woken, publish, first))
            .map_err(|e| RunError::Serve(e.to_string()))?
    };
    let app = Arc::new(App {
        shared,
        built,
        wake: Mutex::new(wake),
        choice: Mutex::new(first),
        guard,
    });
    if open {
        if let Err(e) = webbrowser::open(&url) {
            let (error, url) = (("error", e.to_string()), ("url", url.clone()));
            eprintln!("{}", l.fill(&l.terminal.no_browser, &[error, url]));
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| RunError::Serve(e.to_string()))?;
    runtime.block_on(accept(listener, router(app)))?;
    drop(builder);
    Ok(0)
}

/// A line on stdout; a closed stdout (the terminal gone, a pipe closed) must not stop the
/// server.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

/// A listener on `ip`, on `port` or the next free one of the [`PORTS_TRIED`] after it (`0`:
/// any free port, for tests).
fn listen(ip: IpAddr, port: u16) -> Result<(TcpListener, u16), RunError> {
    let candidates = (0..=PORTS_TRIED).filter_map(|n| port.checked_add(n));
    let mut last = None;
    for candidate in candidates {
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(listener) => {
                let port = listener
                    .local_addr()
                    .map_err(|e| RunError::Serve(e.to_string()))?
                    .port();
                return Ok((listener, port));
            }
            Err(e) => last = Some(e),
        }
        if port == 0 {
            break;
        }
    }
    Err(RunError::Serve(format!(
        "no free port from {port} to {}: {}",
        port.saturating_add(PORTS_TRIED),
        last.map(|e| e.to_string()).unwrap_or_default()
    )))
}

/// Accepts connections for ever, each served by hyper with a time limit on its headers, at
/// most [`MAX_CONNECTIONS`] at once.
async fn accept(listener: TcpListener, app: axum::Router) -> Result<(), RunError> {
    listener
        .set_nonblocking(true)
        .map_err(|e| RunError::Serve(e.to_string()))?;
    let listener =
        tokio::net::TcpListener::from_std(listener).map_err(|e| RunError::Serve(e.to_string()))?;
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Ok(());
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // A connection that failed before it was accepted (reset, out of descriptors for a
            // moment): the next one may be fine.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
            drop(slot);
        });
    }
}
