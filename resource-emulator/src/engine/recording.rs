//! What happened, recorded: the events of a request (or of the clock moving), and their
//! webhook deliveries.

use super::*;
use crate::events::{Emitted, Origin, Subject};
use crate::webhook_endpoints;

impl Engine {
    /// Moves the clock by `seconds`; idempotency keys past their 24 hours are forgotten.
    pub(crate) fn advance(&mut self, seconds: i64) {
        self.clock.advance(seconds);
        let now = self.now();
        self.replays.forget_expired(now);
        self.settle_clock();
        self.outbox.clock_moved();
    }

    /// Stores what the clock changed since it was last settled, whether moved by a test or by
    /// time passing (each object whose computed fields, [`Emulate::on_show`], differ now from
    /// then: a session past its expiry, a trial that ended), and emits what Stripe emits for
    /// it, with no request: `{prefix}.updated`, and what the resource's [`Emulate::on_clock`]
    /// names; before those, the events whose time ([`Emulate::scheduled_events`]) the clock
    /// passed, in the order of their times. Nothing when the clock reads what it read then.
    pub(crate) fn settle_clock(&mut self) {
        let then = self.settled_at;
        if self.now() == then {
            return;
        }
        self.settled_at = self.now();
        let (earlier, now) = (Context::at(self, then), Context::at(self, self.settled_at));
        let passed = |at: i64| then < at && at <= now.now();
        let mut changed = Vec::new();
        let mut scheduled = Vec::new();
        for (index, collection) in self.collections.iter().enumerate() {
            for (key, stored) in &collection.by_id {
                for (at, type_) in (collection.scheduled_events)(&stored.object) {
                    if passed(at) && crate::event_types::is_event_type(type_) {
                        // The object as it was then (still trialing when its end is announced).
                        let mut was = stored.object.clone();
                        was.extend((collection.on_show)(&stored.object, &Context::at(self, at)));
                        collection.conceal(&mut was);
                        scheduled.push((at, type_, was));
                    }
                }
                let before = (collection.on_show)(&stored.object, &earlier);
                let after = (collection.on_show)(&stored.object, &now);
                if before != after {
                    let shown = |computed: Object| {
                        let mut object = stored.object.clone();
                        object.extend(computed);
                        object
                    };
                    let (scope, key) = (stored.scope.clone(), key.clone());
                    changed.push((index, scope, key, shown(before), shown(after)));
                }
            }
        }
        if changed.is_empty() && scheduled.is_empty() {
            return;
        }
        self.pending.clear();
        // What was due first (a trial's end announced before it ends), in the order of times.
        scheduled.sort_by_key(|(at, ..)| *at);
        for (_, type_, was) in scheduled {
            self.pending.push(Pending {
                type_: type_.to_owned(),
                subject: Subject::Given(was),
            });
        }
        for (index, scope, key, before, mut object) in changed {
            let collection = &self.collections[index];
            let (_, asked) = self.with_context(|context| {
                (collection.on_clock)(&before, &mut object, context);
            });
            self.store(index, &scope, object);
            self.push_event(
                index,
                "updated",
                stored(index, &scope, &key, Some(before.clone())),
            );
            self.push_emitted(asked.emitted, stored(index, &scope, &key, Some(before)));
        }
        let pending = std::mem::take(&mut self.pending);
        self.record_events(pending, &Origin::clock());
    }

    /// Sends every event also to `url`, signed with a fresh secret: the secret.
    pub(crate) fn forward_to(&mut self, url: String) -> String {
        let secret = format!("whsec_{}", token(32));
        self.forward = Some(Target {
            url,
            secret: secret.clone(),
        });
        secret
    }

    /// The webhook deliveries, for [`Outbox::flush`] outside the engine's lock.
    pub(crate) fn outbox(&self) -> Arc<Outbox> {
        Arc::clone(&self.outbox)
    }

    pub(crate) fn pending_webhooks(&self, event: &str) -> usize {
        self.outbox.pending(event)
    }

    /// Sets how many events are kept at most; the oldest beyond it are dropped now.
    pub(crate) fn set_event_capacity(&mut self, events: usize) {
        self.event_capacity = events;
        if let Some(index) = self.collection_index(events::PATH) {
            self.drop_oldest(index, events);
        }
    }

    /// The prefix of the events about the objects of collection `index` (see
    /// [`events::prefix`]), `None` when Stripe emits none about them.
    pub(super) fn event_prefix(&self, index: usize) -> Option<String> {
        let collection = &self.collections[index];
        let nested = collection.parents.last().and_then(|parent| {
            let parent = &self.collections[self.collection_index(&parent.path)?];
            let segment = collection
                .template
                .segments
                .iter()
                .rev()
                .find(|segment| placeholder(segment).is_none())?;
            Some((parent.object, *segment))
        });
        events::prefix(collection.object, nested, collection.event_prefix)
    }

    /// Records that the request being handled emits `{prefix}.{verb}` about `subject`, where
    /// Stripe has that event.
    pub(super) fn push_event(&mut self, index: usize, verb: &str, subject: Subject) {
        let Some(prefix) = self.event_prefix(index) else {
            return;
        };
        let type_ = format!("{prefix}.{verb}");
        if crate::event_types::is_event_type(&type_) {
            self.pending.push(Pending { type_, subject });
        }
    }

    /// Records the events hooks emitted: about `subject` (the object they handled), or about the
    /// object they gave.
    pub(super) fn push_emitted(&mut self, emitted: Vec<Emitted>, subject: Subject) {
        for Emitted { type_, about } in emitted {
            let subject = match (about, &subject) {
                (Some(object), _) => Subject::Given(object),
                (None, Subject::Given(object)) => Subject::Given(object.clone()),
                (
                    None,
                    Subject::Stored {
                        index,
                        scope,
                        key,
                        before,
                    },
                ) => Subject::Stored {
                    index: *index,
                    scope: scope.clone(),
                    key: key.clone(),
                    before: before.clone(),
                },
            };
            self.pending.push(Pending { type_, subject });
        }
    }

    /// Makes the events of a request that succeeded, in the order they were emitted: each
    /// about its object as answered (as it is now, shown, not expanded); a `*.updated` one with
    /// the `previous_attributes` it changed, and none when nothing changed.
    pub(super) fn record_events(&mut self, pending: Vec<Pending>, origin: &Origin) {
        let Some(events) = self.collection_index(events::PATH) else {
            return;
        };
        let mut made = Vec::with_capacity(pending.len());
        for Pending { type_, subject } in pending {
            let (object, before) = match subject {
                Subject::Given(object) => (object, None),
                Subject::Stored {
                    index,
                    scope,
                    key,
                    before,
                } => match self.find(index, &scope, &key) {
                    // Both as shown: what only a create's answer shows is in neither.
                    Ok(object) => (
                        self.shown(index, object.clone()),
                        before.map(|mut before| {
                            self.collections[index].conceal(&mut before);
                            before
                        }),
                    ),
                    Err(_) => continue, // gone again within the request
                },
            };
            let mut data = Object::new();
            if type_.ends_with(".updated") {
                if let Some(before) = before {
                    let previous = events::previous_attributes(&before, &object);
                    if previous.is_empty() {
                        continue;
                    }
                    data.insert("previous_attributes".into(), Value::Object(previous));
                }
            }
            data.insert("object".into(), Value::Object(object));
            let mut fields = Object::new();
            fields.insert("api_version".into(), json!(origin.api_version));
            fields.insert("data".into(), Value::Object(data));
            fields.insert("pending_webhooks".into(), json!(0));
            fields.insert(
                "request".into(),
                json!({"id": origin.request_id, "idempotency_key": origin.idempotency_key}),
            );
            fields.insert("type".into(), json!(type_));
            made.push(fields);
        }
        for fields in made {
            // Made here whole, as Stripe shows one (no `account` but on Connect events): no
            // field left to fill, and its shape is `resource_core::Event`'s (tested), so it is
            // stored without the check a hook's object gets.
            let mut event = self.new_object(events, &[]);
            event.extend(fields);
            let type_ = event
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let targets = self.webhook_targets(type_);
            event.insert("pending_webhooks".into(), json!(targets.len()));
            self.send_webhooks(&event, targets);
            self.store(events, &[], event);
        }
        self.drop_oldest(events, self.event_capacity);
    }

    /// Sends `event` to `targets`, each with the `api_version` its endpoint asked for (the
    /// event's own otherwise), indented as Stripe sends it.
    fn send_webhooks(&self, event: &Object, targets: Vec<(Target, Option<String>)>) {
        let id = event.get("id").and_then(Value::as_str).unwrap_or_default();
        let mut by_version: Vec<(Option<String>, Vec<Target>)> = Vec::new();
        for (target, version) in targets {
            match by_version.iter_mut().find(|(v, _)| *v == version) {
                Some((_, same)) => same.push(target),
                None => by_version.push((version, vec![target])),
            }
        }
        for (version, targets) in by_version {
            let mut sent = event.clone();
            if let Some(version) = version {
                sent.insert("api_version".into(), version.into());
            }
            let payload = serde_json::to_vec_pretty(&sent).unwrap_or_default();
            self.outbox.send(id, payload, targets);
        }
    }

    /// Where an event of `type_` is delivered, and in which API version: every enabled endpoint
    /// that wants it (in its `api_version`, when it set one), and the forwarding URL.
    pub(super) fn webhook_targets(&self, type_: &str) -> Vec<(Target, Option<String>)> {
        let endpoints = self
            .collection_index(webhook_endpoints::PATH)
            .map(|index| &self.collections[index]);
        let wanting = endpoints
            .into_iter()
            .flat_map(|collection| collection.by_id.values())
            .map(|stored| &stored.object)
            .filter(|endpoint| webhook_endpoints::wants(endpoint, type_))
            .filter_map(|endpoint| {
                let text = |name: &str| endpoint.get(name).and_then(Value::as_str);
                let target = Target {
                    url: text("url")?.to_owned(),
                    secret: text("secret")?.to_owned(),
                };
                Some((target, text("api_version").map(str::to_owned)))
            });
        let forward = self.forward.clone().map(|target| (target, None));
        wanting.chain(forward).collect()
    }

    /// Drops the oldest objects of collection `index` beyond `capacity`.
    pub(super) fn drop_oldest(&mut self, index: usize, capacity: usize) {
        while self.collections[index].by_id.len() > capacity {
            let Some(key) = self.collections[index].order.oldest() else {
                break;
            };
            let key = key.clone();
            self.remove(index, &key);
            self.outbox.forget(&key);
        }
    }
}

/// A stored object as an event's subject.
pub(super) fn stored(index: usize, scope: &[String], key: &str, before: Option<Object>) -> Subject {
    Subject::Stored {
        index,
        scope: scope.to_vec(),
        key: key.to_owned(),
        before,
    }
}
