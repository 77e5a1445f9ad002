//! SHA-256 of a user's file in the browser (LET-02, EVD-06): the file is read and hashed in a
//! Web Worker (`hash-worker.js` in the bundle directory, with the `hasher` WASM module), streaming, so the page stays
//! responsive and memory stays constant however large the file. Only the hash leaves the
//! browser when a server needs it.

/// Progress of a running hash.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    pub done: f64,
    pub total: f64,
    pub seconds: f64,
}

impl Progress {
    /// Percentage done, 0–100.
    pub fn percent(&self) -> f64 {
        if self.total > 0.0 {
            (self.done / self.total * 100.0).min(100.0)
        } else {
            0.0
        }
    }

    /// Throughput so far in MB/s (10⁶ bytes per second).
    pub fn mb_per_s(&self) -> f64 {
        if self.seconds > 0.0 {
            self.done / 1e6 / self.seconds
        } else {
            0.0
        }
    }
}

/// The file input an event (`change`) comes from.
#[cfg(feature = "hydrate")]
pub fn file_input(event: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    use wasm_bindgen::JsCast;
    event.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()
}

/// The first file chosen in the file input an event (`change`) comes from.
#[cfg(feature = "hydrate")]
pub fn chosen_file(event: &web_sys::Event) -> Option<web_sys::File> {
    file_input(event)?.files()?.get(0)
}

/// Hashes `file` in a new Web Worker; `on_progress` is called about ten times a second.
/// Returns the lowercase hex SHA-256.
#[cfg(feature = "hydrate")]
pub async fn sha256_file(
    file: &web_sys::File,
    on_progress: impl Fn(Progress) + 'static,
) -> Result<String, String> {
    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::{Closure, JsValue};

    type Reply = Rc<RefCell<Option<futures::channel::oneshot::Sender<Result<String, String>>>>>;
    fn reply(sender: &Reply, result: Result<String, String>) {
        if let Some(sender) = sender.borrow_mut().take() {
            let _ = sender.send(result);
        }
    }
    fn number(data: &JsValue, name: &str) -> Option<f64> {
        js_sys::Reflect::get(data, &name.into())
            .ok()
            .and_then(|v| v.as_f64())
    }
    fn text(data: &JsValue, name: &str) -> Option<String> {
        js_sys::Reflect::get(data, &name.into())
            .ok()
            .and_then(|v| v.as_string())
    }

    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    // The worker and its module live in the bundle's content-addressed directory.
    let bundle = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("meta[name={}]", crate::BUNDLE_META))
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_else(|| "/pkg".to_owned());
    let worker = web_sys::Worker::new_with_options(&format!("{bundle}/hash-worker.js"), &options)
        .map_err(|e| format!("cannot start the hashing worker: {e:?}"))?;
    let (sender, receiver) = futures::channel::oneshot::channel();
    let sender: Reply = Rc::new(RefCell::new(Some(sender)));

    let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new({
        let sender = sender.clone();
        move |event: web_sys::MessageEvent| {
            let data = event.data();
            if let Some(hex) = text(&data, "sha256") {
                reply(&sender, Ok(hex));
            } else if let Some(error) = text(&data, "error") {
                reply(&sender, Err(error));
            } else if let Some(done) = number(&data, "progress") {
                on_progress(Progress {
                    done,
                    total: number(&data, "total").unwrap_or_default(),
                    seconds: number(&data, "seconds").unwrap_or_default(),
                });
            }
        }
    });
    let onerror = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new({
        let sender = sender.clone();
        move |event: web_sys::ErrorEvent| reply(&sender, Err(event.message()))
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));

    let message = js_sys::Object::new();
    js_sys::Reflect::set(&message, &"file".into(), file).map_err(|e| format!("{e:?}"))?;
    js_sys::Reflect::set(&message, &"id".into(), &JsValue::from(1))
        .map_err(|e| format!("{e:?}"))?;
    worker
        .post_message(&message)
        .map_err(|e| format!("{e:?}"))?;

    let result = receiver
        .await
        .unwrap_or_else(|_| Err("the hashing worker stopped".to_owned()));
    worker.terminate();
    // The closures must live until the worker is done with them.
    drop((onmessage, onerror));
    result
}
