//! What tells an administrator how a job stands when they are looking
//! elsewhere: the tab's title and icon for the job on screen, and the
//! desktop notification when a job they asked about ends. Pure rules; the
//! hook `use_job_alerts` puts them on the page.

use crate::api::{JobStatus, Progress, TenantId};

/// The page's title while no job is on screen (the one `index.html` has).
pub const PLAIN_TITLE: &str = "Store Provisioning · Management Portal";

/// Which icon the tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabIcon {
    /// No job, or one not heard of yet: the portal's own icon.
    Plain,
    Running,
    Deployed,
    Failed,
}

impl TabIcon {
    pub fn of(status: Option<&JobStatus>) -> TabIcon {
        match status {
            None => TabIcon::Plain,
            Some(JobStatus::Deployed) => TabIcon::Deployed,
            Some(JobStatus::Failed) => TabIcon::Failed,
            Some(_) => TabIcon::Running,
        }
    }

    /// The attribute of `<meta name="store-portal-favicons">` naming its
    /// file (the build writes them); `None`: the page's own icon.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            TabIcon::Plain => None,
            TabIcon::Running => Some("data-running"),
            TabIcon::Deployed => Some("data-deployed"),
            TabIcon::Failed => Some("data-failed"),
        }
    }
}

/// The tab's title for `tenant`'s job: its state first, so it reads in a
/// narrow tab ("✓ Deployed · acme-shoes", "Step 3 of 7 · acme-shoes").
pub fn title(tenant: &TenantId, status: Option<&JobStatus>, progress: Option<&Progress>) -> String {
    let state = match status {
        None => return format!("{tenant} · {PLAIN_TITLE}"),
        Some(JobStatus::Deployed) => "✓ Deployed".to_owned(),
        Some(JobStatus::Failed) => "✗ Failed".to_owned(),
        Some(JobStatus::Queued) => "Queued".to_owned(),
        Some(JobStatus::Processing) => match progress.and_then(|p| p.step.zip(p.total_steps)) {
            Some((step, total)) => format!("Step {step} of {total}"),
            None => "Processing".to_owned(),
        },
        // As the server sent it, in the status region too.
        Some(JobStatus::Other(text)) => text.to_string(),
    };
    format!("{state} · {tenant}")
}

/// What the desktop notification says when a job ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub title: String,
    pub body: String,
}

/// The notification for a job of `tenant` that went from `before` to
/// `now`: only when it ended just now (a job already final when it was
/// first heard of, or on a reload, is no news).
pub fn ending(
    tenant: &TenantId,
    before: Option<&JobStatus>,
    now: Option<&JobStatus>,
    error_message: Option<&str>,
) -> Option<Ending> {
    let (Some(before), Some(now)) = (before, now) else {
        return None;
    };
    if before.is_final() || !now.is_final() {
        return None;
    }
    let (title, body) = match now {
        JobStatus::Deployed => (
            format!("✓ {tenant}: store deployed"),
            "Provisioning finished; the store is live.".to_owned(),
        ),
        _ => (
            format!("✗ {tenant}: provisioning failed"),
            error_message
                .filter(|m| !m.trim().is_empty())
                .unwrap_or("Open the tab to see why it failed.")
                .to_owned(),
        ),
    };
    Some(Ending { title, body })
}

/// Where "Notify me when it ends" stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyChoice {
    /// Not asked for.
    Off,
    /// Waiting for the browser's permission prompt.
    Asking,
    /// A notification comes when the job ends while the tab is hidden.
    On,
    /// The browser (or the user in its prompt) refused.
    Denied,
    /// This browser has no notifications (or not in this context).
    Unsupported,
}

impl NotifyChoice {
    /// The job's view goes (its element removed, its page left) while the
    /// reader waits for its end: the job is still followed, heads only,
    /// until it ends and the notification is raised.
    pub fn follows_after_leaving(self, status: Option<&JobStatus>) -> bool {
        self == NotifyChoice::On && status.is_some_and(|s| !s.is_final())
    }

    /// The browser's `Notification.permission` once the user has asked.
    pub fn after_asking(permission: &str) -> NotifyChoice {
        match permission {
            "granted" => NotifyChoice::On,
            "denied" => NotifyChoice::Denied,
            // "default": the prompt was dismissed; ask again next press.
            _ => NotifyChoice::Off,
        }
    }

    /// What the page says about it; `None`: nothing to say.
    pub fn message(self) -> Option<&'static str> {
        match self {
            NotifyChoice::Off => None,
            NotifyChoice::Asking => Some("Allow notifications in the browser's prompt…"),
            NotifyChoice::On => Some("You will be notified when it ends, if this tab is in the background."),
            NotifyChoice::Denied => Some(
                "Notifications are blocked for this site in the browser's settings. The tab's title and icon still show how it ends.",
            ),
            NotifyChoice::Unsupported => Some(
                "This browser cannot show notifications here. The tab's title and icon still show how it ends.",
            ),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn acme() -> TenantId {
        TenantId::parse("acme-shoes").unwrap()
    }

    #[test]
    fn a_job_is_followed_after_its_view_goes_only_while_the_reader_waits_for_its_end() {
        let running = JobStatus::Processing;
        assert!(NotifyChoice::On.follows_after_leaving(Some(&running)));
        assert!(NotifyChoice::On.follows_after_leaving(Some(&JobStatus::Queued)));
        assert!(!NotifyChoice::On.follows_after_leaving(Some(&JobStatus::Deployed)));
        assert!(!NotifyChoice::On.follows_after_leaving(Some(&JobStatus::Failed)));
        assert!(!NotifyChoice::On.follows_after_leaving(None));
        for choice in [
            NotifyChoice::Off,
            NotifyChoice::Asking,
            NotifyChoice::Denied,
            NotifyChoice::Unsupported,
        ] {
            assert!(!choice.follows_after_leaving(Some(&running)), "{choice:?}");
        }
    }

    fn step(step: u32, total: u32) -> Progress {
        Progress {
            step: Some(step),
            total_steps: Some(total),
            label: Some("Seeding catalog".into()),
        }
    }

    #[test]
    fn the_title_says_the_state_first() {
        let t = |status: Option<JobStatus>, progress: Option<Progress>| {
            title(&acme(), status.as_ref(), progress.as_ref())
        };
        assert_eq!(
            t(Some(JobStatus::Deployed), None),
            "✓ Deployed · acme-shoes"
        );
        assert_eq!(
            t(Some(JobStatus::Failed), Some(step(4, 7))),
            "✗ Failed · acme-shoes"
        );
        assert_eq!(
            t(Some(JobStatus::Processing), Some(step(3, 7))),
            "Step 3 of 7 · acme-shoes"
        );
        assert_eq!(
            t(Some(JobStatus::Processing), None),
            "Processing · acme-shoes"
        );
        assert_eq!(t(Some(JobStatus::Queued), None), "Queued · acme-shoes");
        assert_eq!(
            t(Some(JobStatus::parse("paused")), None),
            "paused · acme-shoes"
        );
        assert_eq!(t(None, None), format!("acme-shoes · {PLAIN_TITLE}"));
        // A step without its total says "Processing".
        let partial = Progress {
            step: Some(2),
            total_steps: None,
            label: None,
        };
        assert_eq!(
            t(Some(JobStatus::Processing), Some(partial)),
            "Processing · acme-shoes"
        );
    }

    #[test]
    fn each_state_has_its_icon() {
        assert_eq!(TabIcon::of(None), TabIcon::Plain);
        assert_eq!(TabIcon::of(Some(&JobStatus::Queued)), TabIcon::Running);
        assert_eq!(
            TabIcon::of(Some(&JobStatus::parse("paused"))),
            TabIcon::Running
        );
        assert_eq!(TabIcon::of(Some(&JobStatus::Deployed)), TabIcon::Deployed);
        assert_eq!(TabIcon::of(Some(&JobStatus::Failed)), TabIcon::Failed);
        assert_eq!(TabIcon::Plain.attribute(), None);
        assert_eq!(TabIcon::Failed.attribute(), Some("data-failed"));
    }

    #[test]
    fn only_a_job_that_ends_now_is_news() {
        let (running, deployed, failed) = (
            JobStatus::Processing,
            JobStatus::Deployed,
            JobStatus::Failed,
        );
        let told = ending(&acme(), Some(&running), Some(&deployed), None).unwrap();
        assert_eq!(told.title, "✓ acme-shoes: store deployed");
        let told = ending(
            &acme(),
            Some(&JobStatus::Queued),
            Some(&failed),
            Some("Payment setup failed"),
        )
        .unwrap();
        assert_eq!(told.title, "✗ acme-shoes: provisioning failed");
        assert_eq!(told.body, "Payment setup failed");
        let told = ending(&acme(), Some(&running), Some(&failed), Some("  ")).unwrap();
        assert_eq!(told.body, "Open the tab to see why it failed.");
        // Final when first heard of (a reload), already final, or still running.
        assert_eq!(ending(&acme(), None, Some(&deployed), None), None);
        assert_eq!(ending(&acme(), Some(&failed), Some(&failed), None), None);
        assert_eq!(ending(&acme(), Some(&running), Some(&running), None), None);
        assert_eq!(ending(&acme(), Some(&running), None, None), None);
    }

    #[test]
    fn the_permission_decides_the_choice() {
        assert_eq!(NotifyChoice::after_asking("granted"), NotifyChoice::On);
        assert_eq!(NotifyChoice::after_asking("denied"), NotifyChoice::Denied);
        assert_eq!(NotifyChoice::after_asking("default"), NotifyChoice::Off);
        assert_eq!(NotifyChoice::after_asking("junk"), NotifyChoice::Off);
        assert!(NotifyChoice::Denied
            .message()
            .unwrap()
            .contains("title and icon"));
        assert_eq!(NotifyChoice::Off.message(), None);
    }
}
