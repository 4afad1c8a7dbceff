use super::*;
use crate::api::job_fixture::job;
use crate::api::{ApiError, JobStatus};
use crate::store::{Action, ProvisioningState};

fn tenant(id: &str) -> TenantId {
    TenantId::parse(id).unwrap()
}

#[test]
fn an_element_shows_the_tenant_its_attribute_names() {
    assert_eq!(
        Shows::read(TENANT_TAG, Some(" acme-shoes ")),
        Shows::Tenant(tenant("acme-shoes"))
    );
    assert_eq!(Shows::read(BATCH_TAG, None), Shows::Batch);
    assert_eq!(Shows::read(BATCH_TAG, Some("ignored")), Shows::Batch);
    let Shows::Problem(missing) = Shows::read(TENANT_TAG, Some("  ")) else {
        panic!("an empty tenant-id is a problem");
    };
    assert!(missing.contains("no tenant-id attribute"), "{missing}");
    let Shows::Problem(bad) = Shows::read(TENANT_TAG, Some("Bad Id")) else {
        panic!("an invalid tenant-id is a problem");
    };
    assert!(bad.starts_with("“Bad Id” is not a tenant id."), "{bad}");
    assert!(matches!(Shows::read("div", None), Shows::Problem(_)));
}

#[test]
fn the_api_base_is_the_page_origin_unless_given() {
    assert_eq!(api_base(None), ApiBase::new(""));
    assert_eq!(api_base(Some("")), ApiBase::new(""));
    assert_eq!(
        api_base(Some("https://api.example/")),
        ApiBase::new("https://api.example")
    );
}

#[test]
fn the_host_hears_each_status_of_the_newest_job_once() {
    let acme = tenant("acme-shoes");
    let mut state = ProvisioningState::default();
    let mut announcer = Announcer::default();
    let mut heard = Vec::new();
    let mut tell = |state: &ProvisioningState, heard: &mut Vec<TenantChange>| {
        let now = state.tenant(&acme).and_then(|e| TenantChange::of(&acme, e));
        heard.extend(announcer.next(now));
    };
    tell(&state, &mut heard);
    assert!(heard.is_empty(), "no job, nothing to tell");

    state.apply(
        &acme,
        Action::Attach {
            job_id: "j1".into(),
        },
    );
    tell(&state, &mut heard);
    let running = job("j1").status(JobStatus::Processing).build();
    state.apply(&acme, Action::StatusReceived(running.clone()));
    tell(&state, &mut heard);
    // The same status again (another poll, more lines): nothing new.
    state.apply(&acme, Action::StatusReceived(running));
    tell(&state, &mut heard);
    state.apply(
        &acme,
        Action::StatusReceived(job("j1").status(JobStatus::Deployed).build()),
    );
    tell(&state, &mut heard);
    state.apply(&acme, Action::AttemptExpired("j1".into()));
    tell(&state, &mut heard);
    state.apply(
        &acme,
        Action::PollFailed {
            job_id: "j1".into(),
            error: ApiError::Network,
            retry_at_ms: None,
        },
    );
    tell(&state, &mut heard);

    let told: Vec<(&str, Option<&str>)> = heard
        .iter()
        .map(|c| (c.job_id.as_str(), c.status.as_deref()))
        .collect();
    assert_eq!(
        told,
        [
            ("j1", None),
            ("j1", Some("processing")),
            ("j1", Some("deployed")),
            ("j1", Some("expired")),
        ]
    );
    assert!(heard.iter().all(|c| c.tenant_id == "acme-shoes"));
}

#[test]
fn another_tenant_on_the_same_element_is_told_at_once() {
    let (a, b) = (tenant("tenant-a"), tenant("tenant-b"));
    let mut state = ProvisioningState::default();
    for (tenant, id) in [(&a, "ja"), (&b, "jb")] {
        state.apply(
            tenant,
            Action::StatusReceived(job(id).status(JobStatus::Processing).build()),
        );
        state.apply(tenant, Action::Attach { job_id: id.into() });
    }
    let mut announcer = Announcer::default();
    let of = |t: &TenantId| state.tenant(t).and_then(|e| TenantChange::of(t, e));
    let first = announcer.next(of(&a)).expect("a's job");
    let switched = announcer
        .next(of(&b))
        .expect("b's job, though its status is a's");
    let back = announcer.next(of(&a)).expect("a's job again");
    assert_eq!(
        [first.job_id, switched.job_id, back.job_id],
        ["ja", "jb", "ja"]
    );
}

#[test]
fn the_batch_counts_are_named_as_the_summary_names_them() {
    let tally = Tally {
        deployed: 1,
        failed: 2,
        expired: 3,
        running: 4,
        waiting: 5,
    };
    let counts = batch_counts(&tally);
    assert_eq!(
        counts.map(|(name, _)| name),
        ["deployed", "failed", "expired", "running", "waiting"]
    );
    assert_eq!(counts.map(|(_, n)| n), [1, 2, 3, 4, 5]);
    let mut announcer = Announcer::default();
    assert_eq!(announcer.next(Some(tally)), Some(tally));
    assert_eq!(announcer.next(Some(tally)), None);
}
