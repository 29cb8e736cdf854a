//! The page's HTTP side (axum): the routes, and the guard every request passes first — the
//! `Host` it names, the access token when the server listens beyond the loopback address, the
//! `Origin` of every request that changes something — plus upload limits, time-outs and error
//! pages that say what was refused and nothing about the server's insides. docs/serve.md
//! states the model.

use super::build::{Built, Choice, Shared, Wake};
use super::inbox::{move_aside, removed_dir, removed_files, restore, store_upload, StoreError};
use super::{map_routes, page, upload_name, Guard};
use crate::i18n::{labels, Labels};
use crate::model::Lang;
use axum::body::Body;
use axum::extract::FromRequest;
use axum::extract::{DefaultBodyLimit, Multipart, Path as UrlPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// A request that takes longer than this, its body included, is answered 408: a client that
/// sends its upload too slowly is not waited for forever.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// Largest body of a request that is not an upload (a form with a file name or a language).
const SMALL_BODY: usize = 16 * 1024;
/// Files moved aside listed on the page, the newest first.
const REMOVED_SHOWN: usize = 30;
/// The cookie that carries the access token after the first visit.
const TOKEN_COOKIE: &str = "scoreboard_token";

/// What the handlers share.
pub struct App {
    /// The builder's side: the configuration and the notes of recent drops.
    pub shared: Arc<Shared>,
    /// The latest published build.
    pub built: watch::Receiver<Built>,
    /// Wakes the builder.
    pub wake: Mutex<Sender<Wake>>,
    /// What the page chose last (the builder may not have built it yet).
    pub choice: Mutex<Choice>,
    /// Which `Host` and `Origin` are this server's.
    pub guard: Guard,
}

pub(super) type AppState = Arc<App>;

impl App {
    pub(super) fn labels(&self) -> &'static Labels {
        labels(lock(&self.choice).lang)
    }

    pub(super) fn wake(&self, w: Wake) {
        // The builder only ends with the server.
        let _ = lock(&self.wake).send(w);
    }

    fn max_file(&self) -> u64 {
        self.shared.config.max_file_bytes
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The routes of the page, behind the guard.
pub fn router(app: AppState) -> Router {
    let upload_limit = usize::try_from(app.shared.config.max_upload_bytes).unwrap_or(usize::MAX);
    Router::new()
        .route("/", get(index))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/assets/page.css", get(style))
        .route("/assets/page.js", get(script))
        .route("/events", get(events))
        .route("/api/state", get(state))
        .route("/api/parts", get(parts))
        .route("/api/check", get(check))
        .route("/dashboard", get(dashboard))
        .route(
            "/upload",
            post(upload).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/remove", post(remove))
        .route("/choose", post(choose))
        .route("/correct", post(correct))
        .route("/undo", post(undo))
        .route("/restore", post(put_back))
        .route("/map", get(map_routes::map_page).post(map_routes::map))
        .route("/unmap", post(map_routes::unmap))
        .route("/download/{what}", get(download))
        .route("/download/feedback/{name}", get(feedback))
        .route("/download/template/{lang}", get(template))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(SMALL_BODY))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                let l = labels(Lang::En);
                html_status(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    page::message(l, &l.page.server_error),
                )
            },
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(app)
}

/// Every request: one `Host`, of this server (and an absolute URL naming the same); with a
/// token, the token (from the URL once, then the cookie); for a change, an `Origin` of this
/// server. Every answer, a refusal too: not cached, not framed by another site, not sniffed.
async fn guard(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = match refusal(&app, &req) {
        Some(refused) => refused,
        None => next.run(req).await,
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// The answer to a request the guard does not let through (or the token's redirect), if any.
fn refusal(app: &App, req: &Request) -> Option<Response> {
    let l = app.labels();
    let p = &l.page;
    let refuse = |status: StatusCode, reason: &str| {
        let text = l.fill(&p.refused_request, &[("reason", reason.to_string())]);
        Some(html_status(status, page::message(l, &text)))
    };
    let headers = req.headers();
    let hosts: Vec<&str> = headers
        .get_all(header::HOST)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let host = match hosts.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let named = req.uri().authority().map(|a| a.as_str());
    if !app.guard.host_allowed(host) || named.is_some_and(|n| Some(n) != host) {
        return refuse(StatusCode::MISDIRECTED_REQUEST, &p.refused_host);
    }
    if let Some(token) = &app.shared.config.token {
        let from_url = req.uri().query().and_then(|q| {
            q.split('&')
                .find_map(|pair| pair.strip_prefix("token="))
                .map(str::to_string)
        });
        if let Some(given) = from_url {
            if !same(&given, token) {
                return refuse(StatusCode::UNAUTHORIZED, &p.refused_token);
            }
            // Once in the URL, then only in a cookie scripts cannot read and other sites do
            // not send; the URL loses it so it is not bookmarked or shown.
            let cookie = format!("{TOKEN_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
            let mut response = Redirect::to(req.uri().path()).into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            return Some(response);
        }
        let from_cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|c| {
                c.trim()
                    .strip_prefix(&format!("{TOKEN_COOKIE}="))
                    .map(str::to_string)
            });
        if !from_cookie.is_some_and(|c| same(&c, token)) {
            return refuse(StatusCode::UNAUTHORIZED, &p.refused_token);
        }
    }
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD);
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    if changes && !app.guard.origin_allowed(origin) {
        return refuse(StatusCode::FORBIDDEN, &p.refused_origin);
    }
    None
}

/// Compares two secrets in a time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub(super) fn html_status(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn index(State(app): State<AppState>) -> Response {
    let built = app.built.borrow().clone();
    let l = app.labels();
    let c = &app.shared.config;
    let page = page::page(
        l,
        &built,
        c,
        &page::removed(l, &removed_files(&c.dir, REMOVED_SHOWN)),
        &map_routes::mappings(l, c),
    );
    html_status(StatusCode::OK, page.into_string())
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        page::STYLE,
    )
        .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        page::SCRIPT,
    )
        .into_response()
}

/// Server-sent events: the generation of each published build, so the page asks for its parts.
async fn events(State(app): State<AppState>) -> impl IntoResponse {
    let rx = app.built.clone();
    let stream = futures_util::stream::unfold((rx, true), |(mut rx, first)| async move {
        if !first && rx.changed().await.is_err() {
            return None;
        }
        let generation = rx.borrow_and_update().generation;
        let event = Event::default().event("built").data(generation.to_string());
        Some((Ok::<_, Infallible>(event), (rx, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Where the build stands, for scripts and tests.
async fn state(State(app): State<AppState>) -> Response {
    let b = app.built.borrow().clone();
    Json(serde_json::json!({
        "generation": b.generation,
        "phase": b.phase,
        "lang": b.choice.lang.code(),
        "month": b.month,
        "error": b.error,
        "outputs": b.outputs.as_ref().map(|w| serde_json::json!({
            "workbook": file_name(&w.paths.workbook),
            "feedback": w.feedback.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>(),
        })),
    }))
    .into_response()
}

/// The parts of the page that change with each build, rendered in the build's language.
async fn parts(State(app): State<AppState>) -> Response {
    let b = app.built.borrow().clone();
    let l = labels(b.choice.lang);
    let p = &b.parts;
    Json(serde_json::json!({
        "generation": b.generation,
        "phase": b.phase,
        "lang": b.choice.lang.code(),
        "status": page::status(l, &b).into_string(),
        "files": p.files,
        "filters": p.filters,
        "issues": p.issues,
        "issue_count": p.issue_count,
        "shown_max": page::GRID_ROWS,
        "downloads": page::downloads(l, &b).into_string(),
        "dashboard": b.dashboard_generation,
        "removed": page::removed(l, &removed_files(&app.shared.config.dir, REMOVED_SHOWN)).into_string(),
        "mappings": map_routes::mappings(l, &app.shared.config).into_string(),
    }))
    .into_response()
}

/// `check --format json`'s document of the latest build.
async fn check(State(app): State<AppState>) -> Response {
    let json = app.built.borrow().check_json.clone();
    let json = match json.as_str() {
        // No build has read anything yet: an inbox without files.
        "" => r#"{"files":[],"issues":[]}"#.to_string(),
        json => json.to_string(),
    };
    ([(header::CONTENT_TYPE, "application/json")], json).into_response()
}

/// The latest build's dashboard page (scriptless, with its own policy).
async fn dashboard(State(app): State<AppState>) -> Response {
    let page = app.built.borrow().dashboard.clone();
    if page.is_empty() {
        let l = app.labels();
        return html_status(StatusCode::OK, page::bare(l, &l.page.no_files));
    }
    html_status(StatusCode::OK, page.as_str().to_string())
}

/// What became of one dropped file.
#[derive(Debug, serde::Serialize)]
struct Dropped {
    /// The name as sent.
    sent: String,
    /// The name it has in the inbox.
    stored: Option<String>,
    /// Where the file it replaced went, relative to the inbox's parent.
    replaced: Option<String>,
    /// Why it was not taken.
    refused: Option<String>,
    /// The line the page shows.
    message: String,
}

/// A drop: each file stored under a safe name (replacing, after moving it aside, a file of
/// the same name), or refused with the reason; then one rebuild.
async fn upload(State(app): State<AppState>, headers: HeaderMap, mut form: Multipart) -> Response {
    let l = app.labels();
    let p = &l.page;
    let mut dropped = Vec::new();
    let refuse = |sent: String, reason: String| Dropped {
        message: l.fill(
            &p.refused,
            &[("name", sent.clone()), ("reason", reason.clone())],
        ),
        sent,
        stored: None,
        replaced: None,
        refused: Some(reason),
    };
    let mut any = false;
    // A drop whose announced length is over the limit is refused before a byte of it is read,
    // so none of its files lands; one sent without a length is cut where it passes the limit
    // (the files whole before that point stay, each said in the answer).
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|n| n > app.shared.config.max_upload_bytes) {
        let mb = app.shared.config.max_upload_bytes / (1024 * 1024);
        let reason = l.fill(&p.request_too_large, &[("mb", mb.to_string())]);
        dropped.push(refuse(String::new(), reason));
        return answer(
            &headers,
            StatusCode::PAYLOAD_TOO_LARGE,
            &dropped,
            &app,
            false,
        );
    }
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                // Cut off mid-way (past the limit, or broken): the files before stay.
                let reason = p.drop_broken.clone();
                dropped.push(refuse(String::new(), reason));
                let status = e.status();
                return answer(&headers, status, &dropped, &app, any);
            }
        };
        let sent = field.file_name().unwrap_or_default().to_string();
        if let Err(e) = upload_name(&sent) {
            dropped.push(refuse(sent, name_refused(l, &e)));
            continue;
        }
        let mut bytes = Vec::new();
        let mut too_large = false;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) if !too_large => {
                    too_large = (bytes.len() + chunk.len()) as u64 > app.max_file();
                    if !too_large {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => {
                    let reason = p.drop_broken.clone();
                    dropped.push(refuse(sent, reason));
                    let status = e.status();
                    return answer(&headers, status, &dropped, &app, any);
                }
            }
        }
        if too_large {
            let mb = app.max_file() / (1024 * 1024);
            dropped.push(refuse(
                sent,
                l.fill(&p.too_large, &[("mb", mb.to_string())]),
            ));
            continue;
        }
        let inbox = app.shared.config.dir.clone();
        let now = chrono::Local::now().naive_local();
        let to_store = sent.clone();
        let stored =
            tokio::task::spawn_blocking(move || store_upload(&inbox, &to_store, &bytes, now)).await;
        match stored {
            Ok(Ok(stored)) => {
                any = true;
                let replaced = stored.replaced.as_deref().map(|r| shown(&app, r));
                let message = match &replaced {
                    Some(aside) => l.fill(
                        &p.replaced,
                        &[("name", stored.name.clone()), ("aside", aside.clone())],
                    ),
                    None => l.fill(&p.stored, &[("name", stored.name.clone())]),
                };
                let mut notes = lock(&app.shared.notes);
                match &replaced {
                    Some(_) => notes.insert(stored.name.clone(), message.clone()),
                    None => notes.remove(&stored.name),
                };
                drop(notes);
                dropped.push(Dropped {
                    sent,
                    stored: Some(stored.name),
                    replaced,
                    refused: None,
                    message,
                });
            }
            Ok(Err(StoreError::Name(e))) => dropped.push(refuse(sent, name_refused(l, &e))),
            Ok(Err(StoreError::Io(e))) => {
                eprintln!("serve: cannot store {sent}: {e}");
                dropped.push(refuse(sent, l.page.server_error.clone()));
            }
            Err(_) => dropped.push(refuse(sent, l.page.server_error.clone())),
        }
    }
    answer(&headers, StatusCode::OK, &dropped, &app, any)
}

/// Why a dropped file's name cannot be used, in the page's words.
fn name_refused(l: &Labels, e: &super::NameRefused) -> String {
    let p = &l.page;
    match e {
        super::NameRefused::Empty => p.name_empty.clone(),
        super::NameRefused::Extension(ext) if ext.is_empty() => p.name_no_extension.clone(),
        super::NameRefused::Extension(ext) => {
            l.fill(&p.name_extension, &[("ext", format!(".{ext}"))])
        }
        super::NameRefused::LockFile => p.name_lock.clone(),
    }
}

/// The answer to a change: JSON for the page's script, a redirect back to the page for a plain
/// form (the page shows the outcome in the verdicts). Wakes the builder when something changed.
pub(super) fn answer<T: serde::Serialize>(
    headers: &HeaderMap,
    status: StatusCode,
    body: &T,
    app: &App,
    changed: bool,
) -> Response {
    if changed {
        app.wake(Wake::Changed);
    }
    if wants_json(headers) {
        (status, Json(body)).into_response()
    } else if status.is_success() {
        Redirect::to("/").into_response()
    } else {
        let l = app.labels();
        let text = serde_json::to_value(body)
            .ok()
            .and_then(|v| {
                v.as_array()?
                    .first()?
                    .get("message")?
                    .as_str()
                    .map(String::from)
            })
            .unwrap_or_else(|| l.page.server_error.clone());
        html_status(status, page::message(l, &text))
    }
}

/// A path under the inbox's parent as the analyst finds it (`removed/20250331-100500/x.xlsx`).
fn shown(app: &App, path: &Path) -> String {
    let base = removed_dir(&app.shared.config.dir);
    let parent = base.parent().unwrap_or(&base);
    path.strip_prefix(parent)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[derive(Debug, serde::Deserialize)]
struct RemoveForm {
    file: String,
}

/// Moves one input file of the inbox aside: only a file the inbox lists under that very name.
async fn remove(
    State(app): State<AppState>,
    headers: HeaderMap,
    PageForm(form): PageForm<RemoveForm>,
) -> Response {
    let l = app.labels();
    let dir = app.shared.config.dir.clone();
    let found = listed(&dir, &form.file);
    let Some(path) = found else {
        return refused(&app, &headers, StatusCode::NOT_FOUND, &l.page.not_found);
    };
    let now = chrono::Local::now().naive_local();
    let moved = tokio::task::spawn_blocking(move || move_aside(&dir, &path, now)).await;
    match moved {
        Ok(Ok(aside)) => {
            let aside = shown(&app, &aside);
            lock(&app.shared.notes).remove(&form.file);
            let message = l.fill(
                &l.page.removed,
                &[("name", form.file.clone()), ("aside", aside.clone())],
            );
            let body =
                serde_json::json!({ "removed": form.file, "moved_to": aside, "message": message });
            answer(&headers, StatusCode::OK, &body, &app, true)
        }
        _ => failed(&app, &headers),
    }
}

/// The input file the inbox lists under `name` (as the page shows it), if any.
pub(super) fn listed(dir: &Path, name: &str) -> Option<PathBuf> {
    let (files, _) = crate::read::collect_inputs(&[dir.to_path_buf()]);
    let names = crate::read::display_names(&[dir.to_path_buf()], &files);
    files
        .into_iter()
        .zip(names)
        .find(|(_, n)| n == name)
        .map(|(path, _)| path)
}

#[derive(Debug, serde::Deserialize)]
struct CorrectForm {
    file: String,
    sheet: String,
    cell: String,
    value: Option<String>,
    reason: Option<String>,
}

/// Records a correction of one cell of a listed file, in the corrections file nearest to it
/// within the inbox (else the inbox's own); the file itself is not touched.
async fn correct(
    State(app): State<AppState>,
    headers: HeaderMap,
    PageForm(form): PageForm<CorrectForm>,
) -> Response {
    let l = app.labels();
    let dir = app.shared.config.dir.clone();
    let (Some(path), Some(value), Some(reason)) = (
        listed(&dir, &form.file),
        form.value.clone(),
        form.reason.clone(),
    ) else {
        return bad_request(&app, &headers, &app.labels().page.refused_file);
    };
    let limits = app.shared.config.run.read.limits.clone();
    let recorded = tokio::task::spawn_blocking(move || {
        let book = path
            .parent()
            .into_iter()
            .flat_map(Path::ancestors)
            .take_while(|d| d.starts_with(&dir))
            .map(|d| d.join(crate::corrections::FILE_NAME))
            .find(|b| b.is_file())
            .unwrap_or_else(|| dir.join(crate::corrections::FILE_NAME));
        let readers = crate::read::Readers::new(&crate::engine::reader_binary().ok()?, &limits);
        let user = crate::corrections::user_name();
        let new = crate::corrections::NewCorrection {
            file: &path,
            sheet: &form.sheet,
            cell: &form.cell,
            value: &value,
            reason: &reason,
            user: &user,
        };
        Some(crate::corrections::record(
            &new,
            &book,
            &readers,
            &crate::corrections::now(),
        ))
    })
    .await;
    match recorded {
        Ok(Some(Ok(c))) => {
            let message = l.fill(
                &l.page.corrected_msg,
                &[
                    ("id", c.id.clone()),
                    ("cell", format!("{}!{}", c.sheet, c.cell)),
                    ("original", c.original.clone()),
                    ("value", c.value.clone()),
                ],
            );
            let body = serde_json::json!({ "id": c.id, "message": message });
            answer(&headers, StatusCode::OK, &body, &app, true)
        }
        Ok(Some(Err(e))) => refused(&app, &headers, StatusCode::BAD_REQUEST, &e.to_string()),
        _ => failed(&app, &headers),
    }
}

/// Undoes the latest active correction of one cell of a listed file (it is kept, marked).
async fn undo(
    State(app): State<AppState>,
    headers: HeaderMap,
    PageForm(form): PageForm<CorrectForm>,
) -> Response {
    let l = app.labels();
    let dir = app.shared.config.dir.clone();
    let Some(path) = listed(&dir, &form.file) else {
        return bad_request(&app, &headers, &app.labels().page.refused_file);
    };
    let done = tokio::task::spawn_blocking(move || {
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let target = canonical(&path);
        for book_path in crate::corrections::books_for(std::slice::from_ref(&dir)) {
            let mut book = crate::corrections::Book::load(&book_path)?;
            let id = book
                .active()
                .filter(|(p, c)| {
                    canonical(p) == target && c.sheet == form.sheet && c.cell == form.cell
                })
                .map(|(_, c)| c.id.clone())
                .last();
            if let Some(id) = id {
                let undone = book.undo(&id, &crate::corrections::now())?;
                book.save()?;
                return Ok(Some(undone));
            }
        }
        Ok::<_, crate::corrections::CorrectionsError>(None)
    })
    .await;
    match done {
        Ok(Ok(Some(c))) => {
            let message = l.fill(
                &l.page.undone_msg,
                &[
                    ("id", c.id.clone()),
                    ("cell", format!("{}!{}", c.sheet, c.cell)),
                ],
            );
            let body = serde_json::json!({ "id": c.id, "message": message });
            answer(&headers, StatusCode::OK, &body, &app, true)
        }
        Ok(Ok(None)) => refused(&app, &headers, StatusCode::NOT_FOUND, &l.page.not_found),
        Ok(Err(e)) => refused(&app, &headers, StatusCode::BAD_REQUEST, &e.to_string()),
        Err(_) => failed(&app, &headers),
    }
}

#[derive(Debug, serde::Deserialize)]
struct RestoreForm {
    path: String,
}

/// Puts a file moved aside back into the inbox (only one the removed folder lists).
async fn put_back(
    State(app): State<AppState>,
    headers: HeaderMap,
    PageForm(form): PageForm<RestoreForm>,
) -> Response {
    let l = app.labels();
    let dir = app.shared.config.dir.clone();
    let now = chrono::Local::now().naive_local();
    let shown = form.path.clone();
    let done = tokio::task::spawn_blocking(move || restore(&dir, &shown, now)).await;
    match done {
        Ok(Ok((back, _))) => {
            let name = back
                .strip_prefix(&app.shared.config.dir)
                .unwrap_or(&back)
                .display()
                .to_string();
            let message = l.fill(&l.page.restored_msg, &[("name", name.clone())]);
            let body = serde_json::json!({ "restored": name, "message": message });
            answer(&headers, StatusCode::OK, &body, &app, true)
        }
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            refused(&app, &headers, StatusCode::NOT_FOUND, &l.page.not_found)
        }
        _ => failed(&app, &headers),
    }
}

#[derive(Debug, serde::Deserialize)]
struct ChooseForm {
    lang: Option<String>,
    month: Option<String>,
}

/// Another language or month: the page is rebuilt in it.
async fn choose(
    State(app): State<AppState>,
    headers: HeaderMap,
    PageForm(form): PageForm<ChooseForm>,
) -> Response {
    let mut choice = lock(&app.choice).clone();
    if let Some(lang) = form.lang.as_deref() {
        match Lang::from_code(lang) {
            Some(lang) => choice.lang = lang,
            None => return bad_request(&app, &headers, &app.labels().page.refused_lang),
        }
    }
    if let Some(month) = form.month.as_deref() {
        let valid = month.len() == 7
            && month.as_bytes()[4] == b'-'
            && month[..4]
                .parse::<u32>()
                .is_ok_and(|y| (2000..=2100).contains(&y))
            && chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok();
        match (month.is_empty(), valid) {
            (true, _) => choice.month = None,
            (false, true) => choice.month = Some(month.to_string()),
            (false, false) => return bad_request(&app, &headers, &app.labels().page.refused_month),
        }
    }
    *lock(&app.choice) = choice.clone();
    app.wake(Wake::Choose(choice.clone()));
    let body = serde_json::json!({ "lang": choice.lang.code(), "month": choice.month });
    answer(&headers, StatusCode::OK, &body, &app, false)
}

/// A form of the page whose refusal (a field missing, a body that is no form) is the page's
/// own, in its words, never the library's.
pub(super) struct PageForm<T>(pub(super) T);

impl<T> FromRequest<AppState> for PageForm<T>
where
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Response> {
        let headers = req.headers().clone();
        match Form::<T>::from_request(req, app).await {
            Ok(Form(value)) => Ok(PageForm(value)),
            Err(_) => Err(bad_request(app, &headers, &app.labels().page.refused_form)),
        }
    }
}

/// A change refused or failed, with the line the page shows.
/// Whether the request asks for JSON (the page's script) rather than a page (a plain form).
pub(super) fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

pub(super) fn refused(
    app: &App,
    headers: &HeaderMap,
    status: StatusCode,
    message: &str,
) -> Response {
    let body = serde_json::json!([{ "message": message }]);
    answer(headers, status, &body, app, false)
}

pub(super) fn bad_request(app: &App, headers: &HeaderMap, what: &str) -> Response {
    let l = app.labels();
    let text = l.fill(&l.page.refused_request, &[("reason", what.to_string())]);
    refused(app, headers, StatusCode::BAD_REQUEST, &text)
}

/// A change that failed on the server's side: said without its insides.
pub(super) fn failed(app: &App, headers: &HeaderMap) -> Response {
    let l = app.labels();
    refused(
        app,
        headers,
        StatusCode::INTERNAL_SERVER_ERROR,
        &l.page.server_error,
    )
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A file of the output folder, as an attachment under its own name.
async fn send_file(path: PathBuf, content_type: &'static str) -> Response {
    match tokio::fs::read(&path).await {
        Ok(bytes) => attachment(&file_name(&path), content_type, bytes),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

fn attachment(name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        name.replace(|c: char| !c.is_ascii_graphic() && c != ' ' || c == '"', "_"),
        page::encode(name)
    );
    let mut response = ([(header::CONTENT_TYPE, content_type)], Body::from(bytes)).into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The latest finished build's outputs, by a fixed name: never a path from the request.
async fn download(State(app): State<AppState>, UrlPath(what): UrlPath<String>) -> Response {
    let written = app.built.borrow().outputs.clone();
    let Some(w) = written else {
        return not_found(State(app)).await;
    };
    match what.as_str() {
        "workbook" => send_file(w.paths.workbook.clone(), XLSX).await,
        "kpis.csv" => send_file(w.paths.kpis_csv.clone(), "text/csv; charset=utf-8").await,
        "kpis.parquet" => {
            send_file(
                w.paths.kpis_parquet.clone(),
                "application/vnd.apache.parquet",
            )
            .await
        }
        "page" => send_file(w.paths.html.clone(), "text/html; charset=utf-8").await,
        "feedback.zip" => {
            let files = w.feedback.clone();
            let month = app.built.borrow().month.clone();
            match tokio::task::spawn_blocking(move || zip_of(&files)).await {
                Ok(Ok(bytes)) => {
                    attachment(&format!("feedback_{month}.zip"), "application/zip", bytes)
                }
                _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
        _ => not_found(State(app)).await,
    }
}

/// The feedback files in one zip, each under its own name.
fn zip_of(files: &super::build::Feedback) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options)
            .map_err(std::io::Error::other)?;
        std::io::Write::write_all(&mut zip, bytes)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// One feedback file of the latest build, by its exact name among them.
async fn feedback(State(app): State<AppState>, UrlPath(name): UrlPath<String>) -> Response {
    let written = app.built.borrow().outputs.clone();
    let found = written.and_then(|w| w.feedback.iter().find(|(n, _)| *n == name).cloned());
    match found {
        Some((name, bytes)) => attachment(&name, XLSX, bytes.as_ref().clone()),
        None => not_found(State(app)).await,
    }
}

/// The input template in a language.
async fn template(State(app): State<AppState>, UrlPath(lang): UrlPath<String>) -> Response {
    let Some(lang) = Lang::from_code(&lang) else {
        return not_found(State(app)).await;
    };
    let kinds: Vec<_> = crate::schema::KINDS.iter().collect();
    match tokio::task::spawn_blocking(move || crate::template::build_template(lang, &kinds)).await {
        Ok(Ok(bytes)) => attachment(
            &format!(
                "{}.xlsx",
                labels(lang).page.templates.to_lowercase().replace(' ', "_")
            ),
            XLSX,
            bytes,
        ),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn not_found(State(app): State<AppState>) -> Response {
    let l = app.labels();
    html_status(StatusCode::NOT_FOUND, page::message(l, &l.page.not_found))
}
