//! What changes objects: create, update, delete and actions with their hooks, and what the
//! hooks ask to make or change once their object is stored (all of it or none).

use super::recording::stored;
use super::*;
use crate::emulate::{ActionHook, Behaviour, Later};
use crate::events::Subject;

impl Engine {
    pub(super) fn create(
        &mut self,
        index: usize,
        scope: &[String],
        params: &Object,
    ) -> Result<Value, Rejection> {
        let mut object = self.new_object(index, scope);
        let collection = &self.collections[index];
        apply(&mut object, params, collection.fields)?;
        fill_missing(&mut object, collection.fields);
        let id = object.get("id").and_then(Value::as_str).map(str::to_owned);
        let key = collection.key(scope, id.as_deref());
        if collection.by_id.contains_key(&key) {
            // Only where the params chose the id (a coupon's) or a singleton exists already.
            return Err(Rejection::invalid_request(format!(
                "A {} with this id already exists.",
                collection.object
            ))
            .code("resource_already_exists"));
        }
        let (hooked, asked) = self.with_context(|context| {
            (collection.on_create)(&mut object, params, context)?;
            collection.refresh(&mut object, context);
            Ok::<_, Rejection>(())
        });
        hooked?;
        collection.storable(&object, params)?;
        // A hook may have given the object its id (a card among bank accounts is `card_...`).
        let id = object.get("id").and_then(Value::as_str).map(str::to_owned);
        let key = collection.key(scope, id.as_deref());
        self.store(index, scope, object);
        if let Some(id) = &id {
            self.bind_uploads(params, id);
        }
        self.push_event(index, "created", stored(index, scope, &key, None));
        self.push_emitted(asked.emitted, stored(index, scope, &key, None));
        self.make_later_or_restore(asked.later, (index, scope, &key), None)?;
        let object = self.find(index, scope, &key)?.clone();
        // The one answer that shows the secret fields (a webhook endpoint's secret).
        let secrets: Vec<(String, Value)> = self.collections[index]
            .secret_fields
            .iter()
            .filter_map(|name| Some(((*name).to_owned(), object.get(*name)?.clone())))
            .collect();
        let mut answer = self.present(index, object, expand_paths(params))?;
        if let Value::Object(answer) = &mut answer {
            answer.extend(secrets);
        }
        self.unless_refused(answer, asked.refusal)
    }

    /// A create a hook asked for, through the collection's own route and hooks.
    pub(super) fn call_at(
        &mut self,
        method: &str,
        path: &str,
        pairs: Vec<(String, String)>,
    ) -> Result<Made, Rejection> {
        let matched = self
            .matching(method, path)
            .ok_or_else(|| internal(format!("a hook asked for {method} {path}: no such route")))?;
        let params = self.params(&matched, pairs)?;
        let key = self.collections[matched.index].key(&matched.scope, matched.id.as_deref());
        let kept = match matched.served.behaviour {
            Behaviour::Create => None,
            _ => self.find(matched.index, &matched.scope, &key).ok().cloned(),
        };
        let answer = self.change(&matched, &params)?;
        let key = match matched.served.behaviour {
            Behaviour::Create => {
                let id = answer.get("id").and_then(Value::as_str);
                self.collections[matched.index].key(&matched.scope, id)
            }
            _ => key,
        };
        Ok(Made {
            index: matched.index,
            scope: matched.scope,
            key,
            kept,
        })
    }

    /// Performs the change `matched` names (a create, an update, a delete, an action) with its
    /// `params`: the answer.
    pub(super) fn change(
        &mut self,
        matched: &Matched,
        params: &Object,
    ) -> Result<Value, Rejection> {
        let Matched {
            index,
            served,
            id,
            scope,
        } = matched;
        let index = *index;
        let key = self.collections[index].key(scope, id.as_deref());
        match served.behaviour {
            Behaviour::Create => self.create(index, scope, params),
            Behaviour::Update => self.update(index, scope, &key, params),
            Behaviour::Delete => self.delete(index, scope, &key),
            Behaviour::Action(hook) => {
                let deletes = served.operation.method.as_str() == "DELETE";
                self.act(index, scope, &key, (hook, deletes), params)
            }
            Behaviour::Retrieve | Behaviour::List | Behaviour::ListOf(_) | Behaviour::Search => {
                Err(internal("a read is no change"))
            }
        }
    }

    /// An insert a hook asked for: it emits `{prefix}.created`, or `{prefix}.updated` where it
    /// replaced an object (a customer's discount).
    pub(super) fn insert_at(&mut self, path: &str, fields: Object) -> Result<Made, Rejection> {
        let (index, scope) = self
            .collection_at(path)
            .ok_or_else(|| internal(format!("no resource at {path}")))?;
        let id = fields.get("id").and_then(Value::as_str);
        let kept = self
            .find(index, &scope, &self.collections[index].key(&scope, id))
            .ok()
            .cloned();
        let replaced = kept.clone().map(|object| self.shown(index, object));
        let object = self.insert_in(index, &scope, fields)?;
        let id = object.get("id").and_then(Value::as_str);
        let key = self.collections[index].key(&scope, id);
        let verb = if replaced.is_some() {
            "updated"
        } else {
            "created"
        };
        self.push_event(index, verb, stored(index, &scope, &key, replaced));
        Ok(Made {
            index,
            scope,
            key,
            kept,
        })
    }

    pub(super) fn update(
        &mut self,
        index: usize,
        scope: &[String],
        key: &str,
        params: &Object,
    ) -> Result<Value, Rejection> {
        let mut before = self.find(index, scope, key)?.clone();
        let collection = &self.collections[index];
        self.with_context(|context| collection.refresh(&mut before, context));
        let mut object = before.clone();
        apply(&mut object, params, collection.fields)?;
        let (hooked, asked) = self.with_context(|context| {
            (collection.on_update)(&before, &mut object, params, context)?;
            collection.refresh(&mut object, context);
            Ok::<_, Rejection>(())
        });
        hooked?;
        collection.storable(&object, params)?;
        let kept = self.find(index, scope, key)?.clone();
        self.store(index, scope, object);
        self.push_event(
            index,
            "updated",
            stored(index, scope, key, Some(before.clone())),
        );
        self.push_emitted(asked.emitted, stored(index, scope, key, Some(before)));
        self.make_later_or_restore(asked.later, (index, scope, key), Some(kept))?;
        let object = self.find(index, scope, key)?.clone();
        let answer = self.present(index, object, expand_paths(params))?;
        self.unless_refused(answer, asked.refusal)
    }

    /// A change a hook asked for ([`Context::update_later`]): `fields` set on the stored
    /// object, `{prefix}.updated` emitted.
    pub(super) fn update_at(
        &mut self,
        path: &str,
        id: &str,
        fields: Object,
    ) -> Result<Made, Rejection> {
        let (index, scope) = self
            .collection_at(path)
            .ok_or_else(|| internal(format!("no resource at {path}")))?;
        let key = self.collections[index].key(&scope, Some(id));
        let kept = self.find(index, &scope, &key)?.clone();
        let before = self.shown(index, kept.clone());
        let mut object = kept.clone();
        object.extend(fields);
        (self.collections[index].check)(&object).map_err(internal)?;
        self.store(index, &scope, object);
        self.push_event(index, "updated", stored(index, &scope, &key, Some(before)));
        Ok(Made {
            index,
            scope,
            key,
            kept: Some(kept),
        })
    }

    /// Deletes the object at `key` and every object nested under it; answers the deleted form
    /// (and keeps it for retrieves, where the resource answers it).
    pub(super) fn delete(
        &mut self,
        index: usize,
        scope: &[String],
        key: &str,
    ) -> Result<Value, Rejection> {
        let object = self.find(index, scope, key)?;
        let collection = &self.collections[index];
        let (allowed, asked) = self.with_context(|context| (collection.on_delete)(object, context));
        allowed?;
        // What the hook asked for first (a deleted customer's subscriptions canceled): all of
        // it, or the delete is refused with nothing changed.
        self.make_later(asked.later)?;
        let object = self.find(index, scope, key)?;
        // The object's own `object`: a card among bank accounts is deleted as a `card`.
        let deleted =
            json!({"id": object.get("id"), "object": object.get("object"), "deleted": true});
        // Its events show it as it was (Stripe's `customer.deleted` carries the customer).
        let was = self.shown(index, object.clone());
        self.push_event(index, "deleted", Subject::Given(was.clone()));
        self.push_emitted(asked.emitted, Subject::Given(was));
        self.remove(index, key);
        self.remove_children(index, scope, key);
        let collection = &mut self.collections[index];
        if collection.answers_deleted {
            collection.deleted.insert(key.to_owned(), scope.to_vec());
        }
        Ok(deleted)
    }

    /// Removes the objects nested under the object `id` of collection `index`.
    pub(super) fn remove_children(&mut self, index: usize, scope: &[String], id: &str) {
        let path = self.collections[index].path;
        let mut owner = scope.to_vec();
        owner.push(id.to_owned());
        for child in &mut self.collections {
            if !child.parents.iter().any(|parent| parent.path == path) {
                continue;
            }
            for scope in child.order.scopes_under(&owner) {
                let keys: Vec<String> = child.order.keys(&scope, None, None).cloned().collect();
                for key in keys {
                    if let Some(stored) = child.take(&key) {
                        if let Some(id) = stored.object.get("id").and_then(Value::as_str) {
                            self.uploads.remove(id);
                        }
                    }
                }
            }
        }
    }

    /// Runs an action's hook on the object at `key`, then stores and answers it, with what the
    /// hook asked to make and emit. An action emits `{prefix}.updated` when it changed the
    /// object, or `{prefix}.deleted` when it is a `DELETE` (`deletes`: a subscription's cancel).
    pub(super) fn act(
        &mut self,
        index: usize,
        scope: &[String],
        key: &str,
        (hook, deletes): (ActionHook, bool),
        params: &Object,
    ) -> Result<Value, Rejection> {
        let mut object = self.find_or_default(index, scope, key)?;
        let collection = &self.collections[index];
        let context = Context::new(self);
        collection.refresh(&mut object, &context);
        let shown = object.clone();
        hook(&mut object, params, &context)?;
        collection.refresh(&mut object, &context);
        let Asked {
            later,
            emitted,
            refusal,
        } = context.into_asked();
        (self.collections[index].check)(&object).map_err(internal)?;
        let before = self.collections[index]
            .by_id
            .get(key)
            .map(|s| s.object.clone());
        self.store(index, scope, object);
        let verb = if deletes { "deleted" } else { "updated" };
        self.push_event(index, verb, stored(index, scope, key, Some(shown.clone())));
        self.push_emitted(emitted, stored(index, scope, key, Some(shown)));
        self.make_later_or_restore(later, (index, scope, key), before)?;
        let object = self.find(index, scope, key)?.clone();
        let answer = self.present(index, object, expand_paths(params))?;
        self.unless_refused(answer, refusal)
    }

    /// The answer to a change now stored, or the refusal its hook asked for
    /// ([`Context::refuse_after_storing`]): then the change stays, and its events are made.
    pub(super) fn unless_refused(
        &mut self,
        answer: Value,
        refusal: Option<Rejection>,
    ) -> Result<Value, Rejection> {
        match refusal {
            Some(rejection) => {
                self.stored_refused = true;
                Err(rejection)
            }
            None => Ok(answer),
        }
    }

    /// Makes what the hooks of a change asked for; if any of it is refused, puts the changed
    /// object (collection, scope, key) back as it was (`kept`, or gone when it was new).
    pub(super) fn make_later_or_restore(
        &mut self,
        later: Vec<Later>,
        (index, scope, key): (usize, &[String], &str),
        kept: Option<Object>,
    ) -> Result<(), Rejection> {
        let made = self.make_later(later);
        if made.is_err() {
            self.restore(index, scope, key, kept);
        }
        made
    }

    /// Makes what hooks asked for, all of it or none of it.
    pub(super) fn make_later(&mut self, later: Vec<Later>) -> Result<(), Rejection> {
        let mut made = Vec::new();
        for request in later {
            let result = match request {
                Later::Call(method, path, pairs) => self.call_at(&method, &path, pairs),
                Later::Insert(path, fields) => self.insert_at(&path, fields),
                Later::Update(path, id, fields) => self.update_at(&path, &id, fields),
            };
            match result {
                Ok(done) => made.push(done),
                Err(rejection) => {
                    for undo in made.into_iter().rev() {
                        self.undo(undo);
                    }
                    return Err(rejection);
                }
            }
        }
        Ok(())
    }

    /// Puts an object [`make_later`](Engine::make_later) made or changed back as it was.
    pub(super) fn undo(&mut self, made: Made) {
        self.restore(made.index, &made.scope, &made.key, made.kept);
    }

    /// Puts the object at `key` back as it was: `kept`, or gone when it was new.
    fn restore(&mut self, index: usize, scope: &[String], key: &str, kept: Option<Object>) {
        match kept {
            Some(kept) => self.store(index, scope, kept),
            None => self.remove(index, key),
        }
    }

    /// Uploads a request's params refer to belong to the object created from it (kept with it
    /// if the request succeeds).
    pub(super) fn bind_uploads(&mut self, params: &Object, owner: &str) {
        for value in params.values() {
            if let Some(staged) = value
                .as_str()
                .and_then(|reference| self.staged.get_mut(reference))
            {
                staged.owner = Some(owner.to_owned());
            }
        }
    }
}

/// Applies decoded params to an object: each param that is a field of the object replaces it
/// (`""` unsets it), `metadata` merges per Stripe's rules, `expand` and absent params are skipped.
pub(super) fn apply(
    object: &mut Object,
    params: &Object,
    fields: &[&str],
) -> Result<(), Rejection> {
    for (name, value) in params {
        if name == "expand" || value.is_null() || !fields.contains(&name.as_str()) {
            continue;
        }
        if name == "metadata" {
            merge_metadata(object, value)?;
        } else if value.as_str() == Some("") {
            object.insert(name.clone(), Value::Null);
        } else {
            object.insert(name.clone(), value.clone());
        }
    }
    Ok(())
}

/// `metadata=` clears, `metadata[k]=` removes `k`, `metadata[k]=v` sets it; Stripe's limits apply.
pub(super) fn merge_metadata(object: &mut Object, change: &Value) -> Result<(), Rejection> {
    let current = object.entry("metadata").or_insert_with(|| json!({}));
    if !current.is_object() {
        *current = json!({});
    }
    let Some(current) = current.as_object_mut() else {
        return Ok(());
    };
    match change {
        Value::String(s) if s.is_empty() => current.clear(),
        Value::Object(entries) => {
            for (key, value) in entries {
                let value = value.as_str().unwrap_or_default();
                let param = format!("metadata[{key}]");
                if key.chars().count() > MAX_METADATA_KEY_CHARS {
                    return Err(Rejection::invalid_request(format!(
                        "Metadata keys can have up to {MAX_METADATA_KEY_CHARS} characters, but you passed in a key that is {} characters.",
                        key.chars().count()
                    ))
                    .param(param));
                }
                if value.chars().count() > MAX_METADATA_VALUE_CHARS {
                    return Err(Rejection::invalid_request(format!(
                        "Metadata values can have up to {MAX_METADATA_VALUE_CHARS} characters, but you passed in a value that is {} characters.",
                        value.chars().count()
                    ))
                    .param(param));
                }
                if value.is_empty() {
                    current.remove(key);
                } else {
                    current.insert(key.clone(), json!(value));
                }
            }
            if current.len() > MAX_METADATA_KEYS {
                return Err(Rejection::invalid_request(format!(
                    "Invalid metadata: metadata can have up to {MAX_METADATA_KEYS} keys, but you passed in {} keys.",
                    current.len()
                ))
                .param("metadata"));
            }
        }
        _ => {
            return Err(Rejection::invalid_request(
                "Invalid metadata: expected a map or an empty string.",
            )
            .param("metadata"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn metadata_merges_and_enforces_limits() {
        let mut object = Object::new();
        merge_metadata(&mut object, &json!({"a": "1", "b": "2"})).unwrap();
        merge_metadata(&mut object, &json!({"a": "", "c": "3"})).unwrap();
        assert_eq!(object["metadata"], json!({"b": "2", "c": "3"}));
        merge_metadata(&mut object, &json!("")).unwrap();
        assert_eq!(object["metadata"], json!({}));

        let long_key = "k".repeat(41);
        let error = merge_metadata(&mut object, &json!({ long_key.clone(): "v" })).unwrap_err();
        assert_eq!(
            error.param.as_deref(),
            Some(format!("metadata[{long_key}]").as_str())
        );
        let error = merge_metadata(&mut object, &json!({"k": "v".repeat(501)})).unwrap_err();
        assert_eq!(error.param.as_deref(), Some("metadata[k]"));
        let many: Object = (0..51).map(|i| (format!("k{i}"), json!("v"))).collect();
        let error = merge_metadata(&mut object, &Value::Object(many)).unwrap_err();
        assert_eq!(error.param.as_deref(), Some("metadata"));
    }
}
