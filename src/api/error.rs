//! Every way a request can fail, each with a message a person can act on.
//! The page shows these messages, never a bare status code.

/// A failed request to the Store Provisioning Service.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// No token in localStorage, or the service answered 401.
    #[error("You are signed out. Sign in again through the portal, then come back to this page.")]
    NotSignedIn,
    #[error("You don't have permission to provision stores for this tenant.")]
    Forbidden,
    #[error("The provisioning service doesn't know this tenant. Check the tenant id.")]
    TenantNotFound,
    #[error("This provisioning job is no longer available; it may have expired.")]
    JobNotFound,
    /// 409: the tenant already runs a job; the portal attaches to it.
    #[error("A provisioning job is already running for this tenant.")]
    JobInProgress { job_id: String },
    #[error("The provisioning service refused the request: {message}")]
    InvalidRequest { message: String },
    #[error("The provisioning service is busy (too many requests).")]
    RateLimited { retry_after_ms: Option<u32> },
    #[error("The provisioning service is having trouble right now.")]
    ServiceUnavailable {
        status: u16,
        retry_after_ms: Option<u32>,
    },
    #[error("Can't reach the provisioning service. Check your connection.")]
    Network,
    #[error("The provisioning service took too long to answer.")]
    Timeout,
    #[error("The provisioning service sent a response this page can't read ({detail}).")]
    Decode { detail: String },
    #[error("The provisioning service gave an unexpected answer.")]
    Unexpected { status: u16 },
}

impl ApiError {
    /// The same request may succeed later (the service busy or unreachable,
    /// or an answer that could not be read): a job's status is asked for
    /// again on its own, and a failed POST keeps its key for the user to
    /// press again (it may have reached the service).
    pub fn worth_trying_again(&self) -> bool {
        self.worth_sending_again() || matches!(self, Self::Decode { .. } | Self::Unexpected { .. })
    }

    /// A POST is sent again on its own (with its key) after this: the
    /// service was busy or could not be reached. An answer that arrived but
    /// could not be read is not sent again: a person looks first.
    pub fn worth_sending_again(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::ServiceUnavailable { .. }
                | Self::Network
                | Self::Timeout
        )
    }

    /// How long the server asked us to wait, if it did.
    pub fn retry_after_ms(&self) -> Option<u32> {
        match self {
            Self::RateLimited { retry_after_ms }
            | Self::ServiceUnavailable { retry_after_ms, .. } => *retry_after_ms,
            _ => None,
        }
    }

    /// The contract's error code this error stands for, where it has one.
    pub fn code(&self) -> Option<provisioning_contract::ErrorCode> {
        use provisioning_contract::ErrorCode;
        Some(match self {
            Self::NotSignedIn => ErrorCode::Unauthenticated,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::TenantNotFound => ErrorCode::TenantNotFound,
            Self::JobNotFound => ErrorCode::JobNotFound,
            Self::JobInProgress { .. } => ErrorCode::JobInProgress,
            Self::InvalidRequest { .. } => ErrorCode::InvalidRequest,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            _ => return None,
        })
    }

    /// A short headline for a connection problem ("Connection lost").
    pub fn headline(&self) -> &'static str {
        match self {
            Self::Network | Self::Timeout => "Connection lost",
            Self::RateLimited { .. } => "Service busy",
            Self::ServiceUnavailable { .. } | Self::Unexpected { .. } => "Service trouble",
            Self::Decode { .. } => "Unreadable response",
            Self::NotSignedIn => "Signed out",
            Self::Forbidden => "Not allowed",
            Self::TenantNotFound => "Unknown tenant",
            Self::JobNotFound => "Job expired",
            Self::JobInProgress { .. } => "Already running",
            Self::InvalidRequest { .. } => "Request refused",
        }
    }
}
