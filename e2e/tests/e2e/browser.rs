//! The browser as a person uses it, and what a test reads from it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use std::sync::Arc;

use serde_json::{json, Value};
use thirtyfour::common::command::{Command, ExtensionCommand};
use thirtyfour::prelude::*;

pub type Outcome = Result<(), String>;

/// The longest wait for something a person would wait for.
pub const WAIT: Duration = Duration::from_secs(30);

/// The token every scenario signs in with: distinctive, so a test can look
/// for it where it must never be (URLs, logs, the console).
pub const TOKEN: &str = "e2e-token-5f1c9a";

/// A mouse wheel turned over a point of the viewport (W3C wheel actions,
/// which thirtyfour's action chain does not offer).
#[derive(Debug)]
struct Wheel {
    x: i64,
    y: i64,
    delta_y: i64,
}

impl ExtensionCommand for Wheel {
    fn parameters_json(&self) -> Option<Value> {
        Some(
            json!({ "actions": [{ "type": "wheel", "id": "wheel", "actions": [
            { "type": "scroll", "x": self.x, "y": self.y, "deltaX": 0, "deltaY": self.delta_y, "duration": 0, "origin": "viewport" }
        ] }] }),
        )
    }

    fn method(&self) -> http::Method {
        http::Method::POST
    }

    fn endpoint(&self) -> Arc<str> {
        "/actions".into()
    }
}

/// One browser session, pointed at one site.
#[derive(Clone)]
pub struct Browser {
    pub driver: WebDriver,
    /// Where the app is mounted: an origin, plus its path without the
    /// trailing slash (`http://127.0.0.1:8088/admin/provisioning`).
    pub base: String,
    /// The dev provisioning service, asked directly about jobs.
    pub service: String,
    pub screenshots: PathBuf,
    /// The private nginx's directory (config, access log), when the site is nginx.
    pub nginx: Option<PathBuf>,
    /// The build the dev service serves (for a scenario that needs a
    /// service of its own).
    pub dist: PathBuf,
}

pub fn fail<E: std::fmt::Display>(context: &str) -> impl FnOnce(E) -> String + '_ {
    move |error| format!("{context}: {error}")
}

/// The number of matches a search count names: "3 of 1,204", "10 matches", "1 match".
pub fn matches_counted(count: &str) -> Option<u64> {
    let total = match count.split_once(" of ") {
        Some((_, total)) => total,
        None => count.split(' ').next()?,
    };
    total.replace(',', "").parse().ok()
}

pub fn check(condition: bool, message: impl Into<String>) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(message.into())
    }
}

impl Browser {
    /// Opens `path` signed in with a fresh localStorage (the token only).
    pub async fn open_signed_in(&self, path: &str) -> Outcome {
        self.reset_storage(Some(TOKEN)).await?;
        self.open(path).await
    }

    pub async fn reset_storage(&self, token: Option<&str>) -> Outcome {
        self.reset_storage_at("/404", token).await
    }

    /// Clears localStorage (and puts `token` in it, if given) from the
    /// page at `path`, one of the site's origin that starts nothing.
    pub async fn reset_storage_at(&self, path: &str, token: Option<&str>) -> Outcome {
        self.driver
            .goto(format!("{}{path}", self.base))
            .await
            .map_err(fail("open"))?;
        self.driver
            .execute(
                "localStorage.clear(); if (arguments[0] !== null) localStorage.setItem('token', arguments[0]);",
                vec![json!(token)],
            )
            .await
            .map_err(fail("set token"))?;
        Ok(())
    }

    pub async fn open(&self, path: &str) -> Outcome {
        self.driver
            .goto(format!("{}{path}", self.base))
            .await
            .map_err(fail("open"))?;
        self.wait_until(
            &format!("{path} has rendered"),
            "return document.querySelector('main') !== null",
        )
        .await
    }

    /// Runs `script` (a function body) and returns its value.
    /// "Open all steps", when some step has folded.
    pub async fn open_all_steps(&self) -> Outcome {
        let label =
            "const b = document.querySelector('.log-open-all'); return b ? b.textContent : ''";
        if self.js(label).await? == json!("Open all steps") {
            self.click(".log-controls button.log-open-all").await?;
            self.wait_until(
                "every step is open",
                "return document.querySelector('.log-open-all').textContent === 'Fold finished steps' && !document.querySelector('.log-group-toggle[aria-expanded=false]')",
            )
            .await?;
        }
        Ok(())
    }

    /// Puts `text` in "Search log", as typing would.
    pub async fn search_for(&self, text: &str) -> Outcome {
        let text = serde_json::to_string(text).map_err(|e| e.to_string())?;
        self.js(&format!("const i = document.querySelector('input[aria-label=\"Search log\"]'); i.focus(); i.value = {text}; i.dispatchEvent(new InputEvent('input', {{ bubbles: true }})); return 0")).await?;
        Ok(())
    }

    /// The search count once the search has ended ("10 matches").
    pub async fn final_count(&self, what: &str) -> Result<String, String> {
        self.wait_until(
            what,
            "const c = document.querySelector('.log-search-count'); return !!c && !/Searching|\\+/.test(c.textContent)",
        )
        .await?;
        self.text(".log-search-count").await
    }

    pub async fn js(&self, script: &str) -> Result<Value, String> {
        let ret = self
            .driver
            .execute(script, Vec::<Value>::new())
            .await
            .map_err(fail(script))?;
        Ok(ret.json().clone())
    }

    pub async fn text(&self, css: &str) -> Result<String, String> {
        let script = format!(
            "const e = document.querySelector({}); return e ? e.textContent : null;",
            json!(css)
        );
        match self.js(&script).await? {
            Value::String(text) => Ok(text),
            _ => Err(format!("nothing matches {css}")),
        }
    }

    /// Polls a script until it returns `true` (WebDriver has no DOM events to await).
    pub async fn wait_until(&self, what: &str, script: &str) -> Outcome {
        self.wait_until_within(what, script, WAIT).await
    }

    /// [`Browser::wait_until`] with a limit of its own (a job that is long
    /// by design, such as a million lines read by a loaded machine).
    pub async fn wait_until_within(&self, what: &str, script: &str, limit: Duration) -> Outcome {
        let started = Instant::now();
        loop {
            if self.js(script).await? == Value::Bool(true) {
                return Ok(());
            }
            if started.elapsed() > limit {
                let status = self.text("[role=status]").await.unwrap_or_default();
                return Err(format!(
                    "timed out waiting until {what} (status region: {status:?})"
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_for_text(&self, css: &str, needle: &str) -> Outcome {
        let script = format!(
            "const e = document.querySelector({}); return !!e && e.textContent.includes({});",
            json!(css),
            json!(needle)
        );
        self.wait_until(&format!("{css} shows {needle:?}"), &script)
            .await
    }

    pub async fn wait_for_status(&self, status: &str) -> Outcome {
        self.wait_for_text("[role=status] .badge", status).await
    }

    /// The million-line jobs: the service writes them over about 10 s and
    /// the page reads 134 MB; a loaded machine (Firefox after the rest of
    /// the suite) can take longer than [`WAIT`].
    pub async fn wait_for_million_lines_deployed(&self) -> Outcome {
        // Alone, Firefox takes about 45 s; late in the loaded suite it once
        // took over 90 s (the page kept streaming, nothing was stuck).
        self.wait_until_within(
            "the million-line job is deployed",
            "const e = document.querySelector('[role=status] .badge'); return !!e && e.textContent.includes('deployed');",
            Duration::from_secs(180),
        )
        .await
    }

    /// How many elements `css` selects.
    pub async fn count(&self, css: &str) -> Result<usize, String> {
        let found = self
            .driver
            .find_all(By::Css(css))
            .await
            .map_err(fail(css))?;
        Ok(found.len())
    }

    /// The attribute `name` of the element `css` selects.
    pub async fn attr(&self, css: &str, name: &str) -> Result<Option<String>, String> {
        let element = self.driver.find(By::Css(css)).await.map_err(fail(css))?;
        element.attr(name).await.map_err(fail(css))
    }

    /// The attribute `name` of every element `css` selects.
    pub async fn attrs(&self, css: &str, name: &str) -> Result<Vec<Option<String>>, String> {
        let mut values = Vec::new();
        for element in self
            .driver
            .find_all(By::Css(css))
            .await
            .map_err(fail(css))?
        {
            values.push(element.attr(name).await.map_err(fail(css))?);
        }
        Ok(values)
    }

    /// Moves the keyboard focus to the element `css` selects.
    pub async fn focus(&self, css: &str) -> Outcome {
        let element = self.driver.find(By::Css(css)).await.map_err(fail(css))?;
        element.focus().await.map_err(fail(css))
    }

    /// Chooses the option with `value` in the select `css` selects, as a
    /// person would.
    pub async fn choose(&self, css: &str, value: &str) -> Outcome {
        let element = self.driver.find(By::Css(css)).await.map_err(fail(css))?;
        let select = thirtyfour::components::SelectElement::new(&element)
            .await
            .map_err(fail(css))?;
        select.select_by_value(value).await.map_err(fail(value))
    }

    /// Scrolls the element `css` selects into view.
    pub async fn scroll_to(&self, css: &str) -> Outcome {
        let element = self.driver.find(By::Css(css)).await.map_err(fail(css))?;
        element.scroll_into_view().await.map_err(fail(css))
    }

    /// Clicks the element `css` selects, as a person would.
    pub async fn click(&self, css: &str) -> Outcome {
        let element = self.driver.find(By::Css(css)).await.map_err(fail(css))?;
        element.click().await.map_err(fail(css))
    }

    pub async fn provision_button(&self) -> Result<WebElement, String> {
        self.driver
            .find(By::XPath("//button[normalize-space()='Provision Store']"))
            .await
            .map_err(fail("find the Provision Store button"))
    }

    /// From now on each notification the page raises is noted (title and
    /// body, in `window.__notes`), then made by the browser. Returns the
    /// browser's `Notification.permission`.
    pub async fn note_notifications(&self) -> Result<Value, String> {
        self.js("window.__notes = []; const Real = window.Notification; window.Notification = new Proxy(Real, { construct(target, args) { window.__notes.push([args[0], (args[1] || {}).body]); return Reflect.construct(target, args); } }); return Real.permission")
            .await
    }

    /// The tab goes to the background (`hidden`) or comes back, told as a
    /// browser tells a page; `window.__hiddenAt` is when it went.
    pub async fn set_hidden(&self, hidden: bool) -> Outcome {
        let script = if hidden {
            "window.__hiddenAt = performance.now(); Object.defineProperty(document, 'hidden', { value: true, configurable: true }); Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); return 0"
        } else {
            "delete document.hidden; delete document.visibilityState; document.dispatchEvent(new Event('visibilitychange')); return 0"
        };
        self.js(script).await.map(|_| ())
    }

    /// The same browser pointed at a dev service of its own (another
    /// origin: its own storage and cache), serving the same build at
    /// `step_ms` steps with the `extra` flags; its log is named after
    /// `name`. The service runs while the returned process is held.
    pub async fn on_own_service(
        &self,
        name: &str,
        step_ms: u64,
        extra: &[&str],
    ) -> (tokio::process::Child, Browser) {
        let port = self.base.rsplit(':').next().unwrap_or_default();
        let log = crate::logs_dir().join(format!("dev-service-{name}-beside-{port}.log"));
        let (service, origin) = e2e::start_service(&self.dist, step_ms, extra, &log).await;
        let browser = Browser {
            base: origin.clone(),
            service: origin,
            ..self.clone()
        };
        (service, browser)
    }

    /// "Provision many tenants": types `ids` into "Tenant ids", sets "At
    /// once" if given, and presses "Check list".
    pub async fn check_batch_list(&self, ids: &str, at_once: Option<&str>) -> Outcome {
        self.driver
            .find(By::Id("batch-ids"))
            .await
            .map_err(fail("the list"))?
            .send_keys(ids)
            .await
            .map_err(fail("type the list"))?;
        if let Some(at_once) = at_once {
            let field = self
                .driver
                .find(By::Id("batch-at-once"))
                .await
                .map_err(fail("At once"))?;
            field.clear().await.map_err(fail("clear At once"))?;
            field
                .send_keys(at_once)
                .await
                .map_err(fail("type At once"))?;
        }
        self.click("form.batch-form button[type=submit]").await
    }

    /// Two windows of the app for one scenario: a new one, shown now, and
    /// the session's own (which alone has the page probe and the
    /// notification permission: it must outlive the scenario), left on no
    /// page of the app meanwhile. Returns (the new one, the session's own).
    pub async fn another_window_first(&self) -> Result<(WindowHandle, WindowHandle), String> {
        self.reset_storage(Some(TOKEN)).await?;
        self.driver
            .goto("about:blank")
            .await
            .map_err(fail("leave the app"))?;
        let own = self.driver.window().await.map_err(fail("this window"))?;
        let new = self
            .driver
            .new_window()
            .await
            .map_err(fail("a new window"))?;
        self.to_window(&new).await?;
        Ok((new, own))
    }

    /// Goes on in `window` (a tab or a window of this session).
    pub async fn to_window(&self, window: &WindowHandle) -> Outcome {
        self.driver
            .switch_to_window(window.clone())
            .await
            .map_err(fail("switch windows"))
    }

    /// Presses the button named `name` (its whole text).
    pub async fn press_button(&self, name: &str) -> Outcome {
        self.driver
            .find(By::XPath(format!("//button[normalize-space()='{name}']")))
            .await
            .map_err(fail(name))?
            .click()
            .await
            .map_err(fail(name))
    }

    pub async fn click_provision(&self) -> Outcome {
        self.provision_button()
            .await?
            .click()
            .await
            .map_err(fail("click Provision Store"))
    }

    pub async fn button_enabled(&self) -> Result<bool, String> {
        self.provision_button()
            .await?
            .is_enabled()
            .await
            .map_err(fail("read the button"))
    }

    pub async fn no_alert_shown(&self) -> Outcome {
        let none = self
            .js("return document.querySelector('[role=alert]') === null")
            .await?;
        check(
            none == json!(true),
            format!(
                "no alert expected, got {:?}",
                self.text("[role=alert]").await
            ),
        )
    }

    pub async fn one_job_for(&self, tenant: &str) -> Outcome {
        let jobs = self.jobs_of(tenant).await?;
        check(
            jobs.len() == 1,
            format!("one job for {tenant}, got {jobs:?}"),
        )
    }

    pub async fn log_line_count(&self) -> Result<u64, String> {
        let text = self.text(".log-count").await?;
        text.split_whitespace()
            .next()
            .and_then(|n| n.replace(',', "").parse().ok())
            .ok_or(format!("log count {text:?}"))
    }

    pub async fn screenshot(&self, name: &str) -> Outcome {
        let path = self.screenshots.join(format!("{name}.png"));
        self.driver
            .screenshot(&path)
            .await
            .map_err(fail("screenshot"))
    }

    /// What went wrong in the page since the last call, as the probe
    /// installed in every document and Chromium's log saw it: CSP
    /// violations, errors, console errors and warnings. Reading drains both.
    pub async fn page_trouble(&self) -> Result<Vec<String>, String> {
        let probe = self
            .js("const p = window.__e2eProbe; if (!p) return []; const all = [...p.violations.map(v => 'CSP violation: ' + v), ...p.errors]; p.violations.length = 0; p.errors.length = 0; return all;")
            .await?;
        let mut trouble: Vec<String> = probe
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect();
        for entry in self.console_log().await? {
            if entry.level == "SEVERE" || entry.level == "WARNING" {
                trouble.push(format!("{}: {}", entry.level, entry.message));
            }
        }
        Ok(trouble)
    }

    /// Chromium's console log since the last read (drained).
    pub async fn console_log(&self) -> Result<Vec<thirtyfour::BrowserLogEntry>, String> {
        self.driver
            .browser_log()
            .await
            .map_err(fail("read the browser log"))
    }

    /// Fails with whatever `page_trouble` reports.
    pub async fn no_page_trouble(&self, when: &str) -> Outcome {
        let trouble = self.page_trouble().await?;
        check(
            trouble.is_empty(),
            format!("{when}: the page reported {trouble:#?}"),
        )
    }

    /// Runs axe-core on the page; fails on any serious or critical violation.
    pub async fn axe_clean(&self, when: &str) -> Outcome {
        if self.js("return typeof window.axe").await? != json!("object") {
            let path = std::env::var_os("AXE_JS")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    crate::root().join(".tools/axe/node_modules/axe-core/axe.min.js")
                });
            let source = std::fs::read_to_string(&path)
                .map_err(fail("read axe-core (scripts/setup.sh installs it)"))?;
            self.driver
                .execute(&source, Vec::<Value>::new())
                .await
                .map_err(fail("inject axe-core"))?;
        }
        let found = self
            .js("return (async () => { const r = await axe.run(document, { resultTypes: ['violations'] }); return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`); })()")
            .await?;
        let found = found.as_array().cloned().unwrap_or_default();
        check(found.is_empty(), format!("axe, {when}: {found:#?}"))
    }

    /// Presses keys on whatever has the focus, as a keyboard would.
    pub async fn press(&self, key: impl Into<TypingData>) -> Outcome {
        self.driver
            .action_chain()
            .send_keys(key)
            .perform()
            .await
            .map_err(fail("press a key"))
    }

    /// Rests the mouse pointer on the element `css` selects.
    pub async fn hover(&self, css: &str) -> Outcome {
        let element = self.driver.find(By::Css(css)).await.map_err(fail(css))?;
        // Firefox moves the pointer only within the viewport.
        element
            .scroll_into_view()
            .await
            .map_err(fail("scroll to it"))?;
        self.driver
            .action_chain()
            .move_to_element_center(&element)
            .perform()
            .await
            .map_err(fail("hover"))
    }

    /// Turns the mouse wheel by `delta_y` pixels over the middle of `css`.
    pub async fn wheel_over(&self, css: &str, delta_y: i64) -> Outcome {
        let at = self
            .js(&format!(
                "const r = document.querySelector({}).getBoundingClientRect(); return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];",
                json!(css)
            ))
            .await?;
        let wheel = Wheel {
            x: at[0].as_i64().unwrap_or_default(),
            y: at[1].as_i64().unwrap_or_default(),
            delta_y,
        };
        self.driver
            .handle()
            .cmd(Command::ExtensionCommand(Box::new(wheel)))
            .await
            .map(|_| ())
            .map_err(fail("turn the mouse wheel"))
    }

    /// Presses `key` with Shift held down (Shift+Tab goes backwards).
    pub async fn press_with_shift(&self, key: Key) -> Outcome {
        self.driver
            .action_chain()
            .key_down(Key::Shift)
            .send_keys(key)
            .key_up(Key::Shift)
            .perform()
            .await
            .map_err(fail("press a key with Shift"))
    }

    /// The focused element: a short description, and whether a focus ring
    /// shows (an outline of 2 px or more).
    pub async fn focused(&self) -> Result<(String, bool), String> {
        let info = self
            .js("const e = document.activeElement; const s = getComputedStyle(e); const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; return [`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.getAttribute('role') ? '[role=' + e.getAttribute('role') + ']' : ''} ${(e.getAttribute('aria-label') || e.textContent || e.value || '').trim().slice(0, 60)}`, ring];")
            .await?;
        Ok((
            info[0].as_str().unwrap_or_default().to_owned(),
            info[1] == json!(true),
        ))
    }

    /// Presses Tab until the focused element's description contains
    /// `needle` (at most 40 times); every stop on the way must show a focus ring.
    pub async fn tab_to(&self, needle: &str) -> Outcome {
        self.tab_until(needle, false).await
    }

    /// The same with Shift+Tab, backwards.
    pub async fn shift_tab_to(&self, needle: &str) -> Outcome {
        self.tab_until(needle, true).await
    }

    async fn tab_until(&self, needle: &str, backwards: bool) -> Outcome {
        let mut seen = Vec::new();
        for _ in 0..40 {
            if backwards {
                self.press_with_shift(Key::Tab).await?;
            } else {
                self.press(Key::Tab).await?;
            }
            let (what, ring) = self.focused().await?;
            check(ring, format!("no visible focus ring on {what:?}"))?;
            if what.contains(needle) {
                return Ok(());
            }
            seen.push(what);
        }
        let key = if backwards { "Shift+Tab" } else { "Tab" };
        Err(format!("{key} never reached {needle:?}; it went {seen:#?}"))
    }

    /// Catches the next file the page saves (the click on a `download`
    /// link) and reads it in the page, instead of letting the browser
    /// write it to disk: `window.__saved` gets `{ name, text }`.
    pub async fn catch_downloads(&self) -> Outcome {
        self.js("window.__saved = null; HTMLAnchorElement.prototype.click = function () { if (!this.download) return HTMLElement.prototype.click.call(this); const saved = { name: this.download, text: null }; window.__saved = saved; fetch(this.href).then(r => r.text()).then(t => { saved.text = t; }); }; return 0")
            .await
            .map(|_| ())
    }

    /// What the dev service's `/dev/{path}` says (its JSON).
    async fn dev_service(&self, path: &str) -> Result<Value, String> {
        let url = format!("{}/dev/{path}", self.service);
        let body = reqwest::get(&url)
            .await
            .map_err(fail("ask the dev service"))?
            .text()
            .await
            .map_err(fail("read the dev service"))?;
        serde_json::from_str(&body).map_err(fail("the dev service's json"))
    }

    /// The status requests the service answered for the jobs of tenants
    /// whose ids contain `part`.
    pub async fn status_reads(&self, part: &str) -> Result<u64, String> {
        let stats = self.stats_of(part).await?;
        stats["statusReads"]
            .as_u64()
            .ok_or(format!("no status reads: {stats}"))
    }

    /// The streams `tenant`'s jobs opened, and how many are open now
    /// (`GET /dev/streams/{tenantId}`).
    pub async fn streams_of(&self, tenant: &str) -> Result<(u64, u64), String> {
        let body = self.dev_service(&format!("streams/{tenant}")).await?;
        match (body["opened"].as_u64(), body["open"].as_u64()) {
            (Some(opened), Some(open)) => Ok((opened, open)),
            _ => Err(format!("no stream counts: {body}")),
        }
    }

    pub async fn is_firefox(&self) -> Result<bool, String> {
        Ok(self
            .js("return navigator.userAgent.includes('Firefox')")
            .await?
            == json!(true))
    }

    /// A tenant id of this browser's own (Chromium and Firefox share the
    /// service behind nginx).
    pub async fn own_tenant(&self, name: &str) -> Result<String, String> {
        Ok(if self.is_firefox().await? {
            format!("{name}-ff")
        } else {
            name.to_owned()
        })
    }

    /// What the jobs of tenants whose ids contain `part` came to
    /// (`GET /dev/stats`).
    pub async fn stats_of(&self, part: &str) -> Result<Value, String> {
        self.dev_service(&format!("stats?tenants={part}")).await
    }

    /// The `POST /provision/store` requests the service received for `tenant`.
    pub async fn posts_for(&self, tenant: &str) -> Result<u64, String> {
        let body = self.dev_service(&format!("requests/{tenant}")).await?;
        body["posts"]
            .as_u64()
            .ok_or(format!("no post count: {body}"))
    }

    pub async fn jobs_of(&self, tenant: &str) -> Result<Vec<String>, String> {
        let body = self.dev_service(&format!("jobs/{tenant}")).await?;
        Ok(body["jobs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect())
    }
}
