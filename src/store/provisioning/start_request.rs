//! "Provision Store" as a request: whether it is in flight, why it failed,
//! the idempotency key a retry repeats and the retry it waits for. Its own
//! part of a tenant's state with its own [`StartRequest::apply`]; what a
//! job it starts means for the tenant's attempts is decided by the caller.

use std::rc::Rc;

use crate::api::ApiError;

/// The state of the last request the user started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestStatus {
    #[default]
    Idle,
    Loading,
    Succeeded,
    Failed,
}

/// "Provision Store" failed in a way worth repeating and will try again.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionRetry {
    pub error: ApiError,
    /// When the next send goes out (ms since the epoch).
    pub retry_at_ms: f64,
}

/// What happens to a "Provision Store" request.
#[derive(Debug, Clone, PartialEq)]
pub enum StartEvent {
    /// Pressed; the POST carries this key.
    Requested {
        idempotency_key: Rc<str>,
    },
    /// A job runs (started, or already running and attached to).
    Answered,
    Failed(ApiError),
    /// Worth repeating: sent again at `retry_at_ms`.
    Retrying {
        error: ApiError,
        retry_at_ms: f64,
    },
    /// The user stopped the retries: the last failure stands.
    Cancelled,
}

/// A tenant's "Provision Store" request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StartRequest {
    pub status: RequestStatus,
    /// Why the request failed.
    pub error: Option<ApiError>,
    /// Sent with the POST; kept while a failed send may have reached the
    /// service, so trying again cannot start a second job.
    pub idempotency_key: Option<Rc<str>>,
    /// Set while the POST waits to be sent again.
    pub retry: Option<ProvisionRetry>,
    /// Counts requests, so a request loop the user has cancelled (or
    /// replaced) knows it is no longer the current one.
    pub id: u64,
}

impl StartRequest {
    pub fn is_loading(&self) -> bool {
        self.status == RequestStatus::Loading
    }

    /// The current request's id while one is in flight.
    pub fn loading_id(&self) -> Option<u64> {
        self.is_loading().then_some(self.id)
    }

    pub fn apply(&mut self, event: StartEvent) {
        match event {
            StartEvent::Requested { idempotency_key } => {
                self.status = RequestStatus::Loading;
                self.error = None;
                self.retry = None;
                self.idempotency_key = Some(idempotency_key);
                self.id += 1;
            }
            StartEvent::Answered => {
                self.status = RequestStatus::Succeeded;
                self.idempotency_key = None;
                self.retry = None;
                self.error = None;
            }
            StartEvent::Failed(error) => {
                self.status = RequestStatus::Failed;
                self.retry = None;
                if !error.worth_trying_again() {
                    self.idempotency_key = None;
                }
                self.error = Some(error);
            }
            StartEvent::Retrying { error, retry_at_ms } => {
                if self.is_loading() {
                    self.retry = Some(ProvisionRetry { error, retry_at_ms });
                }
            }
            StartEvent::Cancelled => {
                if self.is_loading() {
                    self.status = RequestStatus::Failed;
                    // The key stays: a send may have reached the service.
                    self.error = self.retry.take().map(|retry| retry.error);
                }
            }
        }
    }
}
