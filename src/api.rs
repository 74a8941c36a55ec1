//! Every HTTP call of the app: typed functions returning core DTOs or an [`AppError`].

use gloo_net::http::{Request, Response};
use leptos::prelude::on_cleanup;
use pantau_core::api::{AreaBreakdowns, AreaChild, AreaTrend, AreaView, SearchHit, INLINED_AREA_ID};
use pantau_core::commitments::Regulation;
use pantau_core::map::Topology;
use pantau_core::{AreaCode, ErrorCode, Level};
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::AppError;

/// `GET /api/v1/areas/{code}`, or the same answer the server inlined into the page it was
/// opened with, so the first area paints without waiting for a second round trip.
pub async fn area(code: &AreaCode) -> Result<AreaView, AppError> {
    if let Some(inlined) = take_inlined_area().filter(|a| a.code == *code) {
        return Ok(inlined);
    }
    get_json(&format!("/api/v1/areas/{code}")).await
}

/// The area data inlined by the server (`server/src/http/shell.rs`), once: the element is
/// removed on reading, so later visits of the same area fetch current figures.
fn take_inlined_area() -> Option<AreaView> {
    let element = leptos::prelude::document().get_element_by_id(INLINED_AREA_ID)?;
    element.remove();
    let value = js_sys::JSON::parse(&element.text_content()?).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// `GET /api/v1/areas/{code}/breakdowns`.
pub async fn breakdowns(code: &AreaCode) -> Result<AreaBreakdowns, AppError> {
    get_json(&format!("/api/v1/areas/{code}/breakdowns")).await
}

/// `GET /api/v1/areas/{code}/trend`.
pub async fn trend(code: &AreaCode) -> Result<AreaTrend, AppError> {
    get_json(&format!("/api/v1/areas/{code}/trend")).await
}

/// `GET /api/v1/areas/{code}/regulations`: of the area and the regency and province above it.
pub async fn regulations(code: &AreaCode) -> Result<Vec<Regulation>, AppError> {
    get_json(&format!("/api/v1/areas/{code}/regulations")).await
}

/// Map data version of this build: map URLs carry it, so the browser keeps them a year.
const MAP_VERSION: &str = include_str!("../data/geo/version");

/// `GET /api/v1/areas/{code}/map?level=…&detail=…&v=…`. The national district layer comes in
/// two parts (each under the size a view may weigh), joined here into one topology.
pub async fn map(code: &AreaCode, shown: Level, detail: u8) -> Result<Topology, AppError> {
    let (level, v) = (shown.as_str(), MAP_VERSION.trim());
    let path = format!("/api/v1/areas/{code}/map?level={level}&detail={detail}&v={v}");
    if *code != AreaCode::Nation || shown != Level::District {
        return get_json(&path).await;
    }
    let mut whole: Topology = get_json(&format!("{path}&part=1")).await?;
    whole.absorb(get_json(&format!("{path}&part=2")).await?);
    Ok(whole)
}

/// `GET /api/v1/areas/{code}/descendants?level=…`: every area of a level inside `code`.
pub async fn descendants(code: &AreaCode, level: Level) -> Result<Vec<AreaChild>, AppError> {
    get_json(&format!("/api/v1/areas/{code}/descendants?level={}", level.as_str())).await
}

/// `GET /api/v1/search?q=…`.
pub async fn search(query: &str) -> Result<Vec<SearchHit>, AppError> {
    let q: String = js_sys::encode_uri_component(query).into();
    get_json(&format!("/api/v1/search?q={q}")).await
}

async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, AppError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(web_sys::AbortController::signal);
    // Abort the request if the page that asked for it goes away (e.g. the user navigates on).
    let controller = SendWrapper::new(controller);
    on_cleanup(move || {
        if let Some(controller) = controller.take() {
            controller.abort();
        }
    });
    let response = Request::get(path)
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|_| AppError::Network)?;
    decode(response).await
}

/// The body parsed by the browser's own JSON parser, then read into `T`: smaller in the
/// wasm than bundling a JSON parser.
async fn json<T: DeserializeOwned>(response: &web_sys::Response) -> Option<T> {
    let promise = response.json().ok()?;
    let value = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// The part of the API's error envelope (`pantau_core::ErrorEnvelope`) the portal shows: the
/// code. Reading the whole envelope would bring the deserializers of its field problems and
/// details into the first download, and no public answer carries them.
#[derive(Deserialize)]
struct CodeOfError {
    error: Code,
}

#[derive(Deserialize)]
struct Code {
    code: ErrorCode,
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, AppError> {
    let response = web_sys::Response::from(response);
    if response.ok() {
        return json::<T>(&response).await.ok_or(AppError::Unreadable);
    }
    match json::<CodeOfError>(&response).await {
        Some(envelope) => Err(AppError::Api(envelope.error.code)),
        // A proxy or gateway error without our envelope: the server is out of reach.
        None if response.status() >= 500 => Err(AppError::Network),
        None => Err(AppError::Unreadable),
    }
}
