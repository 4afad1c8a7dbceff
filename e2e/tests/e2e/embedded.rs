//! The custom elements in a host's page (docs/embedding.md): the host page
//! of `e2e/host-page/` (plain HTML and a little JavaScript that does what a
//! portal's router and login do) at `/portal/`, served by the private nginx
//! of the sub-path build under the strict CSP, its element script loaded
//! from `/admin/provisioning/store-provisioning.js`. Each scenario runs in
//! Chromium and in Firefox.

use std::time::Duration;

use serde_json::{json, Value};
use thirtyfour::WebElement;

use crate::browser::{check, fail, Browser, Outcome, TOKEN};
use crate::scenarios;

/// Finds `css` inside the shadow root of the `index`-th element (either
/// kind) on the page, or null.
const IN_ELEMENT: &str = "const inElement = (css, index = 0) => { const host = document.querySelectorAll('store-provisioning, store-provisioning-batch')[index]; return host && host.shadowRoot ? host.shadowRoot.querySelector(css) : null; };";

/// `provisionButton(root)`: the Provision Store button under `root` (a
/// document or a shadow root), or null.
const PROVISION_BUTTON: &str = "const provisionButton = (root) => root ? [...root.querySelectorAll('button')].find(b => b.textContent.trim() === 'Provision Store') || null : null;";

/// Opens the host page at `path` (under `/portal`) with no token in
/// localStorage: the host's `getToken` is the only one.
async fn open_host(b: &Browser, path: &str) -> Outcome {
    b.reset_storage_at("/portal/", None).await?;
    b.driver
        .goto(format!("{}/portal{path}", b.base))
        .await
        .map_err(fail("open the host page"))?;
    b.wait_until(
        "the host page has rendered",
        "return document.querySelector('#outlet h1') !== null",
    )
    .await
}

async fn in_element(b: &Browser, script: &str) -> Result<Value, String> {
    b.js(&format!("{IN_ELEMENT} {script}")).await
}

async fn wait_in_element(b: &Browser, what: &str, script: &str) -> Outcome {
    b.wait_until(what, &format!("{IN_ELEMENT} {script}")).await
}

/// The element `css` selects in the `index`-th element's shadow root, for
/// WebDriver to click as a user would.
async fn element_in(b: &Browser, css: &str, index: usize) -> Result<WebElement, String> {
    let script = format!("{IN_ELEMENT} return inElement(arguments[0], arguments[1]);");
    b.driver
        .execute(&script, vec![json!(css), json!(index)])
        .await
        .map_err(fail(css))?
        .element()
        .map_err(fail(css))
}

/// The `index`-th element's Provision Store button, by its name.
async fn provision_button(b: &Browser, index: usize) -> Result<WebElement, String> {
    let script = format!("{PROVISION_BUTTON} return provisionButton(document.querySelectorAll('store-provisioning, store-provisioning-batch')[arguments[0]]?.shadowRoot);");
    b.wait_until(
        "Provision Store is there",
        &format!("{PROVISION_BUTTON} const button = provisionButton(document.querySelectorAll('store-provisioning')[{index}]?.shadowRoot); return !!button && !button.disabled;"),
    )
    .await?;
    b.driver
        .execute(&script, vec![json!(index)])
        .await
        .map_err(fail("find Provision Store"))?
        .element()
        .map_err(fail("Provision Store"))
}

async fn wait_for_badge(b: &Browser, index: usize, word: &str) -> Outcome {
    wait_in_element(
        b,
        &format!("element {index} shows {word}"),
        &format!("const badge = inElement('[role=status] .badge', {index}); return !!badge && badge.textContent.includes({});", json!(word)),
    )
    .await
}

/// What went wrong in the page since the last call (drained): as the host
/// page saw it (CSP violations, errors), and in Chromium as its probe and
/// log saw it.
async fn trouble(b: &Browser) -> Result<Vec<String>, String> {
    let seen = b
        .js("const t = window.hostTrouble.slice(); window.hostTrouble.length = 0; return t")
        .await?;
    let mut trouble: Vec<String> = seen
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| t.as_str().unwrap_or_default().to_owned())
        .collect();
    if !b.is_firefox().await? {
        trouble.extend(b.page_trouble().await?);
    }
    Ok(trouble)
}

/// Nothing went wrong in the page ([`trouble`]).
async fn no_trouble(b: &Browser, when: &str) -> Outcome {
    let trouble = trouble(b).await?;
    check(
        trouble.is_empty(),
        format!("{when}: the page reported {trouble:#?}"),
    )
}

/// Presses the `index`-th element's Provision Store and waits until it
/// shows the job as `status`.
async fn press_provision(b: &Browser, index: usize, status: &str) -> Outcome {
    provision_button(b, index)
        .await?
        .click()
        .await
        .map_err(fail("click Provision Store"))?;
    wait_for_badge(b, index, status).await
}

/// The requests a tenant's jobs made: status polls and streams opened.
async fn heard(b: &Browser, tenant: &str) -> Result<u64, String> {
    Ok(b.status_reads(tenant).await? + b.streams_of(tenant).await?.0)
}

/// The whole flow inside the host's page: Provision Store, the status,
/// the log, every request with the host's token (never localStorage's),
/// the host told of each status, the host's URL left alone until a line
/// number is clicked (then only its fragment), no CSP violation.
async fn the_element_provisions_a_store_in_the_host_page(b: &Browser) -> Outcome {
    let id = b.own_tenant("embed-flow").await?;
    open_host(b, &format!("/tenants/{id}")).await?;
    let history_before = b.js("return history.length").await?;
    press_provision(b, 0, "deployed").await?;
    // Finished steps fold: open them, as a reader would.
    element_in(b, ".log-open-all", 0)
        .await?
        .click()
        .await
        .map_err(fail("Open all steps"))?;
    wait_in_element(
        b,
        "the steps open",
        "return inElement('[role=log]').querySelectorAll('.log-row').length > 3",
    )
    .await?;
    let lines = in_element(
        b,
        "return inElement('[role=log]').querySelectorAll('.log-row').length",
    )
    .await?;
    check(
        lines.as_u64().unwrap_or(0) > 3,
        format!("log lines shown: {lines}"),
    )?;
    b.one_job_for(&id).await?;
    let statuses = b
        .js(&format!(
            "return window.hostEvents.filter(e => e.tenantId === {}).map(e => e.status)",
            json!(id)
        ))
        .await?;
    let statuses: Vec<&str> = statuses
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    check(
        statuses.first() == Some(&"queued") || statuses.first() == Some(&"processing"),
        format!("the host heard the job start: {statuses:?}"),
    )?;
    check(
        statuses.last() == Some(&"deployed") && statuses.windows(2).all(|w| w[0] != w[1]),
        format!("the host heard each status once, deployed last: {statuses:?}"),
    )?;
    let job = b.jobs_of(&id).await?.pop().unwrap_or_default();
    let detail = b
        .js(&format!(
            "return window.hostEvents.filter(e => e.tenantId === {}).pop()",
            json!(id)
        ))
        .await?;
    check(
        detail["jobId"] == json!(job) && detail["tag"] == json!("store-provisioning"),
        format!("the event names the job {job}: {detail}"),
    )?;
    let auth = b.js("return [...new Set(window.hostAuthSeen)]").await?;
    check(
        auth == json!([format!("Bearer {TOKEN}")]),
        format!("every request carried the host's token: {auth}"),
    )?;
    check(
        b.js("return window.hostTokenCalls > 0 && localStorage.getItem('token') === null")
            .await?
            == json!(true),
        "the token came from getToken (set before the element upgraded), not localStorage",
    )?;
    let url = b
        .js("return [location.pathname, location.hash, history.length]")
        .await?;
    check(
        url == json!([format!("/portal/tenants/{id}"), "", history_before]),
        format!("the host's URL and history untouched: {url}"),
    )?;
    check(
        b.js("return document.title").await? == json!("Acme Portal"),
        "the tab's title stays the host's",
    )?;
    // A line's permalink: the fragment only.
    element_in(b, ".log-row a.log-seq", 0)
        .await?
        .click()
        .await
        .map_err(fail("click a line number"))?;
    let url = b.js("return [location.pathname, location.hash]").await?;
    check(
        url[0] == json!(format!("/portal/tenants/{id}"))
            && url[1].as_str().is_some_and(|h| h.starts_with("#L")),
        format!("a line's link puts #L… on the host's URL: {url}"),
    )?;
    b.screenshot("embedded-flow").await?;
    no_trouble(b, "the element's flow in the host page").await
}

/// React keeps the element and changes `tenant-id` when the route's
/// parameter changes: the element shows the new tenant and stops asking
/// about the first one's job; back, it shows that job again.
async fn the_tenant_attribute_switches_what_the_element_follows(b: &Browser) -> Outcome {
    let first = b.own_tenant("long-embed-switch-a").await?;
    let second = b.own_tenant("embed-switch-b").await?;
    open_host(b, &format!("/tenants/{first}")).await?;
    press_provision(b, 0, "processing").await?;
    b.js(&format!(
        "window.host.navigate('/portal/tenants/{second}'); return 0"
    ))
    .await?;
    wait_in_element(
        b,
        "the element shows the second tenant, with no job",
        &format!("{PROVISION_BUTTON} const root = document.querySelector('store-provisioning').shadowRoot; const button = provisionButton(root); return !root.querySelector('[role=status] .badge') && !!button && !button.disabled;"),
    )
    .await?;
    // Whatever was on its way has answered; from now on nothing is asked.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = heard(b, &first).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = heard(b, &first).await?;
    check(
        after == before,
        format!(
            "the first tenant's job was asked about {} times after the switch",
            after - before
        ),
    )?;
    b.js(&format!(
        "window.host.navigate('/portal/tenants/{first}'); return 0"
    ))
    .await?;
    wait_in_element(
        b,
        "the first tenant's job is shown again",
        "const badge = inElement('[role=status] .badge'); return !!badge && /processing|deployed/.test(badge.textContent);",
    )
    .await?;
    let grew = heard(b, &first).await?;
    check(
        grew > after,
        "back on the first tenant, its job is followed again",
    )?;
    b.one_job_for(&first).await?;
    no_trouble(b, "switching tenant-id").await
}

/// Removed from the page, the element stops asking; put back, it goes on.
/// A hundred removals and insertions leave no listener behind, and memory
/// where it was (printed: the numbers BENCHMARKS.md records).
async fn removing_the_element_stops_it_and_putting_it_back_goes_on(b: &Browser) -> Outcome {
    let id = b.own_tenant("long-embed-remove").await?;
    open_host(b, &format!("/tenants/{id}")).await?;
    press_provision(b, 0, "processing").await?;
    let listening = "return window.hostListeners()";
    let mounted = b.js(listening).await?;
    b.js("window.host.removeElement(); return 0").await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = heard(b, &id).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = heard(b, &id).await?;
    check(
        after == before,
        format!("removed, the element asked {} more times", after - before),
    )?;
    let (_, open) = b.streams_of(&id).await?;
    check(open == 0, format!("removed, it left {open} streams open"))?;
    let removed = b.js(listening).await?;
    b.js("window.host.reinsertElement(); return 0").await?;
    wait_in_element(
        b,
        "put back, the element shows the job going on",
        "const badge = inElement('[role=status] .badge'); return !!badge && /processing|deployed/.test(badge.textContent);",
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    check(
        heard(b, &id).await? > after,
        "put back, its job is followed again",
    )?;
    // A hundred cycles, a task apart, as a router's transitions are.
    let cycles = b
        .js("return (async () => { const memory = () => { if (window.gc) gc(); return performance.memory ? performance.memory.usedJSHeapSize : 0; }; const first = memory(); for (let i = 0; i < 100; i++) { window.host.removeElement(); await new Promise(r => setTimeout(r, 0)); window.host.reinsertElement(); await new Promise(r => setTimeout(r, 0)); } await new Promise(r => setTimeout(r, 500)); return { first, last: memory(), listeners: window.hostListeners() }; })()")
        .await?;
    println!(
        "embedded: listeners on window/document mounted {mounted}, removed {removed}, after 100 cycles {}; JS heap after a GC {} -> {} bytes",
        cycles["listeners"], cycles["first"], cycles["last"]
    );
    check(
        cycles["listeners"] == mounted,
        format!(
            "after 100 cycles the listeners are those of one element: {} vs {mounted}",
            cycles["listeners"]
        ),
    )?;
    let grown = cycles["last"].as_f64().unwrap_or(0.0) - cycles["first"].as_f64().unwrap_or(0.0);
    check(
        grown < 1_000_000.0,
        format!("100 cycles grew the JS heap by {grown} bytes"),
    )?;
    let count = |v: &Value| v.as_array().map_or(0, Vec::len);
    check(
        count(&removed) < count(&mounted),
        format!("removing the element removed its listeners: {removed} vs {mounted}"),
    )?;
    wait_for_badge(b, 0, "deployed").await?;
    b.one_job_for(&id).await?;
    no_trouble(b, "removing and putting back the element").await
}

/// "Notify me when it ends", then the element goes: its job is still
/// followed (heads only) until it ends, and the notification comes; put
/// back meanwhile, the element shows the control still on.
async fn a_job_whose_end_was_asked_for_is_followed_after_the_element_goes(b: &Browser) -> Outcome {
    let id = b.own_tenant("long-embed-notify").await?;
    open_host(b, &format!("/tenants/{id}")).await?;
    let permission = b.note_notifications().await?;
    check(
        permission == json!("granted"),
        format!("permission set by the test: {permission}"),
    )?;
    press_provision(b, 0, "processing").await?;
    element_in(b, ".notify button", 0)
        .await?
        .click()
        .await
        .map_err(fail("Notify me when it ends"))?;
    let asked = "const s = inElement('#notify-state'); return !!s && s.textContent.includes('You will be notified') && inElement('.notify button').getAttribute('aria-pressed') === 'true'";
    wait_in_element(b, "the control is on", asked).await?;
    b.js("window.host.removeElement(); return 0").await?;
    b.js("window.host.reinsertElement(); return 0").await?;
    wait_in_element(b, "put back, the control is still on", asked).await?;
    b.js("window.host.removeElement(); return 0").await?;
    let removed = b.status_reads(&id).await?;
    b.wait_until_within(
        "the notification, the element gone",
        "return window.__notes.length > 0",
        Duration::from_secs(90),
    )
    .await?;
    let notes = b.js("return window.__notes").await?;
    check(
        notes[0][0]
            .as_str()
            .is_some_and(|t| t.contains("deployed") && t.contains(&id)),
        format!("one notification saying how it ended: {notes}"),
    )?;
    let ended = b.status_reads(&id).await?;
    check(
        ended > removed,
        "the job was asked about after the element went",
    )?;
    tokio::time::sleep(Duration::from_secs(6)).await;
    check(
        b.status_reads(&id).await? == ended,
        "once it ended, nothing more is asked",
    )?;
    b.js("window.host.reinsertElement(); return 0").await?;
    wait_for_badge(b, 0, "deployed").await?;
    no_trouble(b, "a notification after the element went").await
}

/// Two elements side by side: independent for two tenants; for one
/// tenant, one job and one POST.
async fn two_elements_on_one_page(b: &Browser) -> Outcome {
    let (a, c) = (
        b.own_tenant("embed-two-a").await?,
        b.own_tenant("embed-two-c").await?,
    );
    open_host(b, &format!("/two/{a}/{c}")).await?;
    press_provision(b, 0, "deployed").await?;
    check(
        in_element(b, "return inElement('[role=status] .badge', 1) === null").await? == json!(true),
        "the other tenant's element shows no job",
    )?;
    check(
        b.jobs_of(&c).await?.is_empty(),
        "no job for the other tenant",
    )?;
    let same = b.own_tenant("embed-two-same").await?;
    open_host(b, &format!("/two/{same}/{same}")).await?;
    press_provision(b, 1, "deployed").await?;
    wait_for_badge(b, 0, "deployed").await?;
    check(
        b.posts_for(&same).await? == 1,
        "two elements for one tenant made one POST",
    )?;
    b.one_job_for(&same).await?;
    // The element script loaded again (another URL: a second copy of the
    // module) defines nothing more and loads no second wasm.
    let again = b
        .js("return (async () => { const before = customElements.get('store-provisioning'); await import('/admin/provisioning/store-provisioning.js?again'); await new Promise(r => setTimeout(r, 300)); const wasm = performance.getEntriesByType('resource').filter(e => /_bg\\.wasm$/.test(e.name)).length; return [customElements.get('store-provisioning') === before, wasm]; })()")
        .await?;
    check(
        again == json!([true, 1]),
        format!("loaded twice: [same definition, wasm downloads] = {again}"),
    )?;
    no_trouble(b, "two elements").await
}

/// The host's CSS changes nothing inside the element (its button looks as
/// on the standalone page), and loading the element changes nothing of
/// the host's look.
async fn the_hosts_styles_and_ours_stay_apart(b: &Browser) -> Outcome {
    let id = b.own_tenant("embed-styles").await?;
    let looks = "(e) => { const s = getComputedStyle(e); return [s.backgroundColor, s.color, s.fontSize, s.fontFamily, s.borderTopWidth, s.borderTopStyle, s.outlineStyle, s.lineHeight].join(' | '); }";
    // The standalone page's button, as the reference.
    b.reset_storage_at("/portal/", Some(TOKEN)).await?;
    b.driver
        .goto(format!("{}/admin/provisioning/tenants/{id}", b.base))
        .await
        .map_err(fail("open the standalone page"))?;
    b.wait_until(
        "the standalone page's button",
        &format!("{PROVISION_BUTTON} return provisionButton(document) !== null"),
    )
    .await?;
    let standalone = b
        .js(&format!(
            "{PROVISION_BUTTON} return ({looks})(provisionButton(document))"
        ))
        .await?;
    // The host's look on its plain page (no element script), then on the
    // page with the element.
    b.reset_storage_at("/portal/", None).await?;
    b.driver
        .goto(format!("{}/portal/plain.html", b.base))
        .await
        .map_err(fail("open the plain host page"))?;
    let host_look = "return ['#host-button', '#host-badge', '#host-alert', 'body', 'header'].map(css => ({looks})(document.querySelector(css)))".replace("{looks}", looks);
    let host_before = b.js(&host_look).await?;
    open_host(b, &format!("/tenants/{id}")).await?;
    provision_button(b, 0).await?;
    let host_after = b.js(&host_look).await?;
    check(
        host_before == host_after,
        format!("the host's look changed: {host_before} -> {host_after}"),
    )?;
    let embedded = b
        .js(&format!("{PROVISION_BUTTON} return ({looks})(provisionButton(document.querySelector('store-provisioning').shadowRoot))"))
        .await?;
    check(
        embedded == standalone,
        format!("the button inside the host looks as on its own page: {embedded} vs {standalone}"),
    )?;
    b.screenshot("embedded-host-styles").await?;
    no_trouble(b, "styles both ways").await
}

/// axe-core, which reads open shadow roots, on the host page with a job
/// shown.
async fn the_host_page_with_the_element_passes_axe(b: &Browser) -> Outcome {
    let id = b.own_tenant("fail-embed-axe").await?;
    open_host(b, &format!("/tenants/{id}")).await?;
    press_provision(b, 0, "failed").await?;
    b.axe_clean("a failed job in the host page").await?;
    check(
        in_element(
            b,
            "return !!inElement('[role=status]') && !!inElement('[role=log]')",
        )
        .await?
            == json!(true),
        "the status and log regions are there",
    )
}

/// The host's `getToken` is asked for every request: a refreshed token is
/// used at once; a refused one signs the element out, and a new getToken
/// lets it go on.
async fn the_hosts_token_is_asked_for_each_request(b: &Browser) -> Outcome {
    // A polled job: a stream asks for the token when it opens, and its job
    // is then heard without another request.
    let id = b.own_tenant("nostream-embed-token").await?;
    open_host(b, &format!("/tenants/{id}")).await?;
    press_provision(b, 0, "processing").await?;
    b.js("window.hostToken = 'e2e-token-refreshed'; window.hostAuthSeen.length = 0; return 0")
        .await?;
    b.wait_until(
        "a request with the refreshed token",
        "return window.hostAuthSeen.includes('Bearer e2e-token-refreshed')",
    )
    .await?;
    check(
        b.js("return window.hostAuthSeen.every(a => a === 'Bearer e2e-token-refreshed')")
            .await?
            == json!(true),
        "after the refresh, only the new token",
    )?;
    // No token at all: signed out, said in the element.
    b.js("window.hostToken = null; return 0").await?;
    wait_in_element(
        b,
        "the element says it is signed out",
        "const root = document.querySelector('store-provisioning').shadowRoot; return /sign/i.test(root.textContent) && !!root.querySelector('[role=status]');",
    )
    .await?;
    b.js(&format!("window.hostToken = {}; const e = document.querySelector('store-provisioning'); e.getToken = () => window.hostToken; return 0", json!(TOKEN))).await?;
    wait_for_badge(b, 0, "deployed").await?;
    b.one_job_for(&id).await?;
    // The 401s of the signed-out moment are expected, and the one 404 of
    // a service without streams (the console's); nothing else.
    let trouble = trouble(b).await?;
    let unexpected: Vec<&String> = trouble
        .iter()
        .filter(|t| !(t.contains("401") || t.contains("/provision/events/") && t.contains("404")))
        .collect();
    check(
        unexpected.is_empty(),
        format!("a token refreshed, refused, and given again: the page reported {unexpected:#?}"),
    )
}

/// `<store-provisioning-batch>`: a batch run inside the host page, its
/// counts told to the host.
async fn the_batch_element_runs_a_batch(b: &Browser) -> Outcome {
    let suffix = b.own_tenant("").await?;
    let ids: Vec<String> = (1..=3)
        .map(|n| format!("embed-batch-{n}{suffix}"))
        .collect();
    open_host(b, "/batch").await?;
    wait_in_element(b, "the batch form", "return !!inElement('#batch-ids')").await?;
    element_in(b, "#batch-ids", 0)
        .await?
        .send_keys(ids.join("\n"))
        .await
        .map_err(fail("type the ids"))?;
    element_in(b, "form.batch-form button[type=submit]", 0)
        .await?
        .click()
        .await
        .map_err(fail("Check list"))?;
    b.wait_until(
        "a Provision button for the batch",
        &format!("{IN_ELEMENT} const root = document.querySelector('store-provisioning-batch').shadowRoot; return [...root.querySelectorAll('button')].some(b => /^Provision 3 tenants/.test(b.textContent.trim()));"),
    )
    .await?;
    let start = b
        .driver
        .execute(
            "return [...document.querySelector('store-provisioning-batch').shadowRoot.querySelectorAll('button')].find(b => /^Provision 3 tenants/.test(b.textContent.trim()))",
            vec![],
        )
        .await
        .map_err(fail("find the batch's button"))?
        .element()
        .map_err(fail("the batch's button"))?;
    start.click().await.map_err(fail("start the batch"))?;
    b.wait_until(
        "the host heard 3 deployed",
        "return window.hostEvents.some(e => e.tag === 'store-provisioning-batch' && e.deployed === 3 && e.running === 0 && e.waiting === 0)",
    )
    .await?;
    for id in &ids {
        b.one_job_for(id).await?;
    }
    b.screenshot("embedded-batch").await?;
    no_trouble(b, "the batch element").await
}

/// A panic in the module: every element says so, the host page goes on.
async fn a_panic_stops_the_elements_not_the_host(b: &Browser) -> Outcome {
    let (a, c) = (
        b.own_tenant("embed-panic-a").await?,
        b.own_tenant("embed-panic-c").await?,
    );
    open_host(b, &format!("/two/{a}/{c}")).await?;
    provision_button(b, 1).await?;
    let outcome = b.js("return window.host.panicForTests()").await?;
    check(
        outcome.as_str().is_some_and(|o| o.starts_with("thrown")),
        format!("the test's panic: {outcome}"),
    )?;
    b.wait_until(
        &format!("each element says it stopped (the panic: {outcome})"),
        "return [...document.querySelectorAll('store-provisioning')].every(e => /stopped after an error/.test(e.shadowRoot.textContent))",
    )
    .await?;
    // The host's own page still works.
    b.js("window.host.navigate('/portal/'); return 0").await?;
    b.wait_for_text("#outlet h1", "Portal home").await?;
    let trouble = trouble(b).await?;
    let expected = |t: &String| {
        ["panic", "unreachable", "RuntimeError"]
            .iter()
            .any(|w| t.contains(w))
    };
    check(
        trouble.iter().all(expected),
        format!("nothing but the panic went wrong: {trouble:#?}"),
    )
}

pub fn all() -> Vec<(&'static str, crate::Scenario)> {
    scenarios![
        the_element_provisions_a_store_in_the_host_page,
        the_tenant_attribute_switches_what_the_element_follows,
        removing_the_element_stops_it_and_putting_it_back_goes_on,
        a_job_whose_end_was_asked_for_is_followed_after_the_element_goes,
        two_elements_on_one_page,
        the_hosts_styles_and_ours_stay_apart,
        the_host_page_with_the_element_passes_axe,
        the_hosts_token_is_asked_for_each_request,
        the_batch_element_runs_a_batch,
        a_panic_stops_the_elements_not_the_host,
    ]
}
