//! How a request is answered: a read under the lock reads share, any other request with its
//! idempotency key; routing by the declared path templates, and the request's params.

use super::*;
use crate::auth::authenticate;
use crate::decode::parse_form;
use crate::emulate::Behaviour;
use crate::events::Origin;
use crate::idempotency::{Digest, Seen, Slot};
use crate::multipart::Field;

impl Engine {
    /// Answers a request that changes nothing, under a lock other such requests share: a `GET`
    /// of an object, a list, a search or a download. `None` for any other request, which
    /// [`handle`](Engine::handle) answers.
    pub(crate) fn handle_read(&self, request: &Incoming<'_>) -> Option<Reply> {
        if request.method != "GET" {
            return None;
        }
        if let Some(download) = self.download(request) {
            return Some(download.into());
        }
        let matched = self.matching(request.method, request.path)?;
        let reads = matches!(
            matched.served.behaviour,
            Behaviour::Retrieve | Behaviour::List | Behaviour::ListOf(_) | Behaviour::Search
        );
        if !reads {
            return None;
        }
        let answer = authenticate(request).and_then(|_key| {
            let params = self.params(&matched, parse_form(request.query)?)?;
            self.read(&matched, request.path, &params)
                .unwrap_or_else(|| Err(internal("a read was not answered as one")))
        });
        let (status, body) = match answer {
            Ok(answer) => (200, answer),
            Err(rejection) => (rejection.status, Body::Json(rejection.to_json())),
        };
        Some(Reply {
            status,
            headers: answer_headers(request, &request_id()),
            body,
        })
    }

    /// Answers one request.
    pub(crate) fn handle(&mut self, request: &Incoming<'_>) -> Reply {
        // What time changed since the last look (a session expired in the meantime) is stored,
        // and its events made, before this request sees it: at most once a second.
        self.settle_clock();
        if let Some(download) = self.download(request) {
            return download.into();
        }
        let request_id = request_id();
        let mut headers = answer_headers(request, &request_id);
        let (status, body) = match authenticate(request) {
            Err(rejection) => (rejection.status, Body::Json(rejection.to_json())),
            Ok(key) => {
                let origin = Origin {
                    request_id: Some(request_id),
                    idempotency_key: request.header("Idempotency-Key").map(str::to_owned),
                    api_version: request
                        .header("Stripe-Version")
                        .unwrap_or(resource_core::DEFAULT_API_VERSION)
                        .to_owned(),
                };
                let (status, body, replayed) = self.idempotent(key, request, &origin);
                if replayed {
                    headers.push(("Idempotent-Replayed".to_owned(), "true".to_owned()));
                }
                (status, body)
            }
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Replays a `POST` whose idempotency key was seen with the same request; refuses it with
    /// another request; otherwise handles it and, when it succeeds, remembers the answer. The
    /// answer's body, and whether it was replayed.
    pub(super) fn idempotent(
        &mut self,
        api_key: String,
        request: &Incoming<'_>,
        origin: &Origin,
    ) -> (u16, Body, bool) {
        let key = request
            .header("Idempotency-Key")
            .filter(|_| request.method == "POST");
        let Some(key) = key else {
            let (status, answer, _) = self.answer(request, origin);
            return (status, answer, false);
        };
        let slot = Slot {
            api_key,
            account: request
                .header("Stripe-Account")
                .unwrap_or_default()
                .to_owned(),
            key: key.to_owned(),
        };
        let now = self.now();
        let digest = self.digest(request);
        match self.replays.check(&slot, digest, now) {
            Seen::Replay { status, answer } => return (status, Body::Bytes(answer.to_vec()), true),
            Seen::Conflict => {
                let rejection = Rejection::idempotency(format!(
                    "Keys for idempotent requests can only be used with the same parameters they were first used with. \
                     Try using a key other than '{key}' if you meant to execute a different request."
                ));
                return (rejection.status, Body::Json(rejection.to_json()), false);
            }
            Seen::New => {}
        }
        let (status, answer, stored) = self.answer(request, origin);
        let body = answer.into_bytes();
        if stored {
            self.replays.remember(slot, digest, now, status, &body);
        }
        (status, Body::Bytes(body), false)
    }

    /// The digest an idempotency key keeps of its request: method, path and body; a multipart
    /// body by its parts, so the same upload sent again with another boundary (the SDKs draw one
    /// per call) is the same request, as Stripe compares parameters.
    pub(super) fn digest(&self, request: &Incoming<'_>) -> Digest {
        let head = [request.method.as_bytes(), request.path.as_bytes()];
        let fields = request
            .header("Content-Type")
            .and_then(multipart::boundary)
            .and_then(|boundary| multipart::parse(request.body, boundary).ok());
        let Some(fields) = fields else {
            return self.replays.digest(&[head[0], head[1], request.body]);
        };
        let mut parts: Vec<&[u8]> = head.to_vec();
        parts.push(b"multipart");
        for (name, field) in &fields {
            parts.push(name.as_bytes());
            match field {
                Field::Text(text) => parts.extend([b"text".as_slice(), text.as_bytes()]),
                Field::File {
                    filename,
                    content_type,
                    bytes,
                } => parts.extend([
                    b"file".as_slice(),
                    filename.as_bytes(),
                    content_type.as_bytes(),
                    bytes,
                ]),
            }
        }
        self.replays.digest(&parts)
    }

    /// Handles a request: its answer; its uploads kept only if it succeeds, and its events made
    /// only if it succeeds or stored its change though refused.
    pub(super) fn answer(&mut self, request: &Incoming<'_>, origin: &Origin) -> (u16, Body, bool) {
        self.staged.clear();
        self.pending.clear();
        self.stored_refused = false;
        let answered = self.route(request);
        let staged = std::mem::take(&mut self.staged);
        let pending = std::mem::take(&mut self.pending);
        let stored = answered.is_ok() || std::mem::take(&mut self.stored_refused);
        if stored {
            self.record_events(pending, origin);
        }
        match answered {
            Ok(answer) => {
                for staged in staged.into_values() {
                    if let Some(owner) = staged.owner {
                        self.uploads.insert(owner, staged.upload);
                    }
                }
                (200, answer, stored)
            }
            Err(rejection) => (rejection.status, Body::Json(rejection.to_json()), stored),
        }
    }

    /// The served operation a request addresses: of those whose method is the request's and
    /// whose path template the path fills, the one with the most literal segments (so
    /// `/v1/customers/search` is the search, not the customer `search`).
    pub(super) fn matching(&self, method: &str, path: &str) -> Option<Matched> {
        let segments: Vec<&str> = path.split('/').collect();
        let (index, served, template) = self
            .collections
            .iter()
            .enumerate()
            .flat_map(|(index, c)| {
                c.served
                    .iter()
                    .zip(&c.templates)
                    .map(move |(served, template)| (index, served, template))
            })
            .filter(|(_, served, template)| {
                served.operation.method.as_str() == method && template.fits(&segments)
            })
            // The first of the most specific.
            .fold(
                None,
                |best: Option<(usize, &Served, &Template)>, candidate| match best {
                    Some(best) if best.2.literal >= candidate.2.literal => Some(best),
                    _ => Some(candidate),
                },
            )?;
        let mut id = None;
        let mut scope = Vec::new();
        for (name, value) in template.values(&segments) {
            if name == "id" {
                id = Some(value);
            } else {
                scope.push(value);
            }
        }
        Some(Matched {
            index,
            served: *served,
            id,
            scope,
        })
    }

    pub(super) fn route(&mut self, request: &Incoming<'_>) -> Result<Body, Rejection> {
        let Some(matched) = self.matching(request.method, request.path) else {
            return Err(Rejection::invalid_request(format!(
                "Unrecognized request URL ({}: {}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
                request.method, request.path
            ))
            .status(404));
        };
        let multipart = request
            .header("Content-Type")
            .and_then(multipart::boundary)
            .filter(|_| request.method == "POST");
        let pairs = match multipart {
            Some(boundary) => self.receive(multipart::parse(request.body, boundary)?)?,
            None => {
                let raw = match request.method {
                    "POST" => std::str::from_utf8(request.body)
                        .map_err(|_| Rejection::invalid_request("The body is not UTF-8."))?,
                    _ => request.query,
                };
                parse_form(raw)?
            }
        };
        let params = self.params(&matched, pairs)?;
        if let Some(answer) = self.read(&matched, request.path, &params) {
            return answer;
        }
        self.change(&matched, &params).map(Body::Json)
    }

    /// The request's parameters as the operation's params type reads them (the cursors of a
    /// list whatever it declares), once its parents are known to exist.
    pub(super) fn params(
        &self,
        matched: &Matched,
        mut pairs: Vec<(String, String)>,
    ) -> Result<Object, Rejection> {
        let Matched {
            index,
            served,
            scope,
            ..
        } = matched;
        let lists = matches!(served.behaviour, Behaviour::List | Behaviour::ListOf(_));
        // The cursors belong to every list, as on Stripe: a paginator sends them whether or not
        // the list's params type declares them.
        let cursors: Vec<(String, String)> = if lists {
            let (cursors, rest) = pairs
                .into_iter()
                .partition(|(name, _)| CURSORS.contains(&name.as_str()));
            pairs = rest;
            cursors
        } else {
            Vec::new()
        };
        let mut params = (served.decode)(&pairs)?;
        for (name, value) in cursors {
            params.insert(name, Value::String(value));
        }
        self.check_parents(*index, scope)?;
        Ok(params)
    }

    /// Answers an operation that changes nothing (a retrieve, a list, a search); `None` for
    /// the others.
    pub(super) fn read(
        &self,
        matched: &Matched,
        path: &str,
        params: &Object,
    ) -> Option<Result<Body, Rejection>> {
        let Matched {
            index,
            served,
            id,
            scope,
        } = matched;
        let index = *index;
        Some(match served.behaviour {
            Behaviour::Retrieve => {
                let key = self.collections[index].key(scope, id.as_deref());
                match self.deleted_form(index, scope, &key) {
                    Some(deleted) => Ok(deleted),
                    None => self
                        .find_or_default(index, scope, &key)
                        .and_then(|object| self.present(index, object, expand_paths(params))),
                }
                .map(Body::Json)
            }
            Behaviour::List => self.list(index, scope, path, params),
            Behaviour::ListOf(listed) => self
                .collection_index(listed)
                .ok_or_else(|| internal(format!("no resource at {listed} to list")))
                .and_then(|listed| self.list(listed, &[], path, params)),
            Behaviour::Search => self.search(index, path, params),
            Behaviour::Create | Behaviour::Update | Behaviour::Delete | Behaviour::Action(_) => {
                return None;
            }
        })
    }

    /// A nested request's parents exist (where their resource is served): otherwise Stripe's
    /// 404 naming the missing one.
    pub(super) fn check_parents(&self, index: usize, scope: &[String]) -> Result<(), Rejection> {
        for (depth, (parent, id)) in self.collections[index]
            .parents
            .iter()
            .zip(scope)
            .enumerate()
        {
            let Some(parent_index) = self.collection_index(&parent.path) else {
                continue;
            };
            let collection = &self.collections[parent_index];
            let found = collection
                .by_id
                .get(id)
                .is_some_and(|stored| stored.scope == scope[..depth]);
            if !found {
                return Err(Rejection::no_such(collection.object, id, &parent.name).status(404));
            }
        }
        Ok(())
    }

    /// Stages the files of a multipart request (kept if the request succeeds) and gives the form
    /// pairs, each file standing as a reference its params read back as an `Upload`.
    pub(super) fn receive(
        &mut self,
        fields: Vec<(String, Field<'_>)>,
    ) -> Result<Vec<(String, String)>, Rejection> {
        let mut pairs = Vec::with_capacity(fields.len());
        for (name, field) in fields {
            let value = match field {
                Field::Text(text) => text,
                Field::File {
                    filename,
                    content_type,
                    bytes,
                } => {
                    if bytes.len() > MAX_UPLOAD_BYTES {
                        return Err(Rejection::invalid_request(format!(
                            "The file is {} bytes; files can be at most {MAX_UPLOAD_BYTES} bytes.",
                            bytes.len()
                        ))
                        .param(name));
                    }
                    let reference = format!("upload_{}", token(24));
                    let upload = Upload {
                        filename,
                        content_type,
                        bytes: bytes.into(),
                    };
                    let staged = Staged {
                        upload,
                        owner: None,
                    };
                    self.staged.insert(reference.clone(), staged);
                    reference
                }
            };
            pairs.push((name, value));
        }
        Ok(pairs)
    }
}

/// A new `Request-Id`.
pub(super) fn request_id() -> String {
    format!("req_{}", token(14))
}

/// The headers of every JSON answer: its `Request-Id`, and the `Stripe-Version` asked for.
pub(super) fn answer_headers(request: &Incoming<'_>, request_id: &str) -> Vec<(String, String)> {
    let mut headers = vec![
        ("Request-Id".to_owned(), request_id.to_owned()),
        ("Content-Type".to_owned(), "application/json".to_owned()),
    ];
    if let Some(version) = request.header("Stripe-Version") {
        headers.push(("Stripe-Version".to_owned(), version.to_owned()));
    }
    headers
}
