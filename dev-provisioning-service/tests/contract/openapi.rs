//! `docs/openapi.yaml` read once, and an answer checked against what it
//! documents for its operation and status: the status must be documented,
//! and a JSON body must validate against that response's schema (JSON
//! Schema 2020-12, by the `jsonschema` crate).

use std::sync::OnceLock;

use serde_json::{json, Value};

/// The OpenAPI document, as JSON.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.yaml");
        let text = std::fs::read_to_string(path).expect("docs/openapi.yaml is readable");
        serde_saphyr::from_str(&text).expect("docs/openapi.yaml is YAML")
    })
}

/// The path template and method of a request the contract defines
/// (`None` for the dev service's own routes and the static portal).
pub fn operation(method: &str, uri: &str) -> Option<(&'static str, &'static str)> {
    let path = uri.split('?').next().unwrap_or_default();
    match method {
        "POST" if path == "/provision/store" => Some(("/provision/store", "post")),
        "GET" if path.starts_with("/provision/status/") => {
            Some(("/provision/status/{jobId}", "get"))
        }
        "GET" if path.starts_with("/provision/events/") => {
            Some(("/provision/events/{jobId}", "get"))
        }
        _ => None,
    }
}

/// Follows a `$ref` within the document.
fn resolved(value: &Value) -> &Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference
                .strip_prefix('#')
                .expect("a reference within the document");
            resolved(
                document()
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("{reference} is defined")),
            )
        }
        None => value,
    }
}

/// The documented response for a status: its own entry, else its class
/// (`5XX`), else `default`.
fn response(path: &str, method: &str, status: u16) -> Option<&'static Value> {
    let responses = document()["paths"][path][method].get("responses")?;
    [
        status.to_string(),
        format!("{}XX", status / 100),
        "default".to_owned(),
    ]
    .iter()
    .find_map(|key| responses.get(key))
    .map(resolved)
}

/// Checks an answer against the document; `Err` says what does not match.
pub fn check(
    path: &str,
    method: &str,
    status: u16,
    content_type: &str,
    body: &str,
) -> Result<(), String> {
    let Some(response) = response(path, method, status) else {
        return Err(format!(
            "{method} {path} answered {status}, which the document does not list"
        ));
    };
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let Some(schema) = response["content"].get(media).map(|c| &c["schema"]) else {
        return Err(format!(
            "{method} {path} {status} sent {media:?}, which the document does not list"
        ));
    };
    if media != "application/json" {
        return Ok(());
    }
    let instance: Value =
        serde_json::from_str(body).map_err(|e| format!("not JSON ({e}): {body}"))?;
    validate(schema, &instance)
        .map_err(|errors| format!("{method} {path} {status}: {errors}\n{body}"))
}

/// Validates `instance` against a schema of the document (its references
/// resolve within the document's components).
pub fn validate(schema: &Value, instance: &Value) -> Result<(), String> {
    let mut root = schema.clone();
    root["components"] = document()["components"].clone();
    let validator = jsonschema::draft202012::new(&root).map_err(|e| format!("the schema: {e}"))?;
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

/// A component schema by name, as a reference the validator resolves.
pub fn component(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The schema of an event's `data` on the events endpoint (`x-events`).
pub fn event_schema(name: &str) -> Value {
    let schema = &document()["paths"]["/provision/events/{jobId}"]["get"]["responses"]["200"]
        ["x-events"][name];
    assert!(
        schema.is_object(),
        "docs/openapi.yaml documents the {name} event"
    );
    schema.clone()
}
