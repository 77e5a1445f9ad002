//! The upload of one attachment to the attachment route, with progress (browser only).

use super::attachments::UploadError;
use crate::error::AppError;
use crate::letters::Attachment;
use crate::validation::Invalid;

/// The error body of the attachment route.
#[derive(serde::Deserialize)]
struct ErrorBody {
    error: AppError,
}

/// Posts `file` as the raw body to the attachment route with an `XMLHttpRequest`, for its
/// upload progress events (fetch has none).
pub(super) async fn upload(
    draft_id: &str,
    file: &web_sys::File,
    sha256: &str,
    on_progress: impl Fn(f64, f64) + 'static,
) -> Result<Attachment, UploadError> {
    use leptos::server_fn::Bytes;
    use leptos::server_fn::Decodes;
    use leptos::server_fn::codec::JsonEncoding;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    let url = format!(
        "/letters/{}/attachments?name={}",
        js_sys::encode_uri_component(draft_id),
        js_sys::encode_uri_component(&file.name())
    );
    let request = web_sys::XmlHttpRequest::new().map_err(|_| UploadError::Network)?;
    request
        .open_with_async("POST", &url, true)
        .map_err(|_| UploadError::Network)?;
    request
        .set_request_header(crate::letters::SHA256_HEADER, sha256)
        .map_err(|_| UploadError::Network)?;
    let (sender, receiver) = futures::channel::oneshot::channel::<bool>();
    let sender = std::rc::Rc::new(std::cell::RefCell::new(Some(sender)));
    let finish = move |ok: bool| {
        if let Some(sender) = sender.borrow_mut().take() {
            let _ = sender.send(ok);
        }
    };
    let onload = Closure::<dyn FnMut()>::new({
        let finish = finish.clone();
        move || finish(true)
    });
    let onerror = Closure::<dyn FnMut()>::new(move || finish(false));
    let onprogress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            on_progress(event.loaded(), event.total())
        });
    request.set_onload(Some(onload.as_ref().unchecked_ref()));
    request.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    request.set_onabort(Some(onerror.as_ref().unchecked_ref()));
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(onprogress.as_ref().unchecked_ref()));
    }
    request
        .send_with_opt_blob(Some(file))
        .map_err(|_| UploadError::Network)?;
    let loaded = receiver.await.unwrap_or(false);
    drop((onload, onerror, onprogress));
    if !loaded {
        return Err(UploadError::Network);
    }
    let status = request.status().unwrap_or(0);
    let body = Bytes::from(request.response_text().ok().flatten().unwrap_or_default());
    if (200..300).contains(&status) {
        <JsonEncoding as Decodes<Attachment>>::decode(body).map_err(|_| UploadError::Network)
    } else {
        match <JsonEncoding as Decodes<ErrorBody>>::decode(body) {
            Ok(body) => Err(UploadError::Server(body.error)),
            Err(_) if status == 413 => Err(UploadError::Server(Invalid::LetterTooLarge.into())),
            Err(_) => Err(UploadError::Server(AppError::Internal {
                request_id: format!("HTTP {status}"),
            })),
        }
    }
}
