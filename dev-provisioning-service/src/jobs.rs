//! The service's memory: jobs, which tenant runs which, idempotency keys and
//! per-job poll counters. Plain data behind one mutex; no I/O.

use std::collections::HashMap;

use provisioning_contract::{self as contract, JobError, JobStatus, LogLine, Progress};
use serde_json::{json, Value};

use crate::scenario::Scenario;
use crate::simulation::{Phase, Plan, STEP_LABELS};

/// One provisioning job as the service keeps it.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub tenant_id: String,
    pub plan: Plan,
    /// Service clock reading (ms) when the job was created.
    pub created_ms: u64,
    /// Status polls answered so far, counted for the fault scenarios.
    pub polls: u64,
    /// Requests to stream it (`GET /provision/events/{jobId}`) so far.
    pub stream_requests: u64,
}

impl Job {
    pub fn elapsed(&self, now_ms: u64) -> u64 {
        now_ms.saturating_sub(self.created_ms)
    }

    pub fn is_final(&self, now_ms: u64) -> bool {
        self.plan.at(self.elapsed(now_ms)).phase.is_final()
    }

    /// Status polls and stream requests together: what `expire` and
    /// `signout` count ("from request 3 on").
    pub fn requests(&self) -> u64 {
        self.polls + self.stream_requests
    }

    /// Lines `first..=last` (1-based) as the contract sends them.
    pub fn log_lines(
        &self,
        first: u64,
        last: u64,
        wall_clock: &dyn Fn(u64) -> String,
    ) -> Vec<LogLine> {
        (first..=last)
            .map(|seq| {
                let (level, message) = self.plan.line(seq);
                LogLine {
                    seq,
                    ts: wall_clock(self.created_ms + self.plan.line_written_at_ms(seq)),
                    level: level.to_owned(),
                    message,
                }
            })
            .collect()
    }

    /// The job as the service answers it at `now_ms`, with the lines after
    /// `logs_after`. `wall_clock` turns a service clock reading into an
    /// RFC 3339 time.
    pub fn answer(
        &self,
        now_ms: u64,
        logs_after: u64,
        wall_clock: &dyn Fn(u64) -> String,
    ) -> contract::Job {
        let plan = &self.plan;
        let snapshot = plan.at(self.elapsed(now_ms));
        let weird = plan.scenario == Scenario::Weird;
        let status = match snapshot.phase {
            Phase::Queued => JobStatus::Queued,
            Phase::Processing if weird && snapshot.step <= 3 => {
                JobStatus::Other("warming_up".into())
            }
            Phase::Processing => JobStatus::Processing,
            Phase::Deployed => JobStatus::Deployed,
            Phase::Failed => JobStatus::Failed,
        };
        let progress = match snapshot.phase {
            _ if weird => None,
            Phase::Queued => None,
            _ => Some(Progress {
                step: Some(snapshot.step as u32),
                total_steps: Some(STEP_LABELS.len() as u32),
                label: Some(STEP_LABELS[(snapshot.step.max(1) - 1) as usize].to_owned()),
            }),
        };
        let store_url = (snapshot.phase == Phase::Deployed)
            .then(|| format!("https://{}.shop.example.test/", self.tenant_id));
        let error = (snapshot.phase == Phase::Failed).then(|| {
            let (code, message) = match plan.fails_at_step {
                Some(4) => (
                    "payment_setup_failed",
                    "The payment provider rejected the merchant account.",
                ),
                _ => (
                    "domain_verification_failed",
                    "The store's domain could not be verified.",
                ),
            };
            JobError {
                code: code.to_owned(),
                message: message.to_owned(),
            }
        });
        let first = if plan.scenario == Scenario::Dupes {
            1
        } else {
            logs_after + 1
        };
        let logs = self.log_lines(first, snapshot.lines, wall_clock);
        let updated_ms = if snapshot.phase.is_final() {
            self.created_ms + plan.finishes_after_ms()
        } else {
            now_ms
        };
        contract::Job {
            job_id: self.id.clone(),
            tenant_id: self.tenant_id.clone(),
            status,
            created_at: Some(wall_clock(self.created_ms)),
            updated_at: Some(wall_clock(updated_ms)),
            progress,
            store_url,
            error,
            logs,
        }
    }

    /// The answer's JSON. The `weird` scenario's carries fields the contract
    /// does not name and leaves `progress` out.
    pub fn to_json(
        &self,
        now_ms: u64,
        logs_after: u64,
        wall_clock: &dyn Fn(u64) -> String,
    ) -> Value {
        let mut body = serde_json::to_value(self.answer(now_ms, logs_after, wall_clock))
            .expect("a job always serializes");
        if self.plan.scenario == Scenario::Weird {
            body["region"] = json!("eu-west-1");
            body["flags"] = json!({"beta": true});
            body.as_object_mut().map(|o| o.remove("progress"));
        }
        body
    }
}

/// The streams of one tenant's jobs (`GET /dev/streams/{tenantId}`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct StreamCount {
    /// Streams answered 200 so far.
    pub opened: u64,
    /// Those whose body the client still reads.
    pub open: u64,
}

/// Every job the service knows, and the indexes over them.
#[derive(Debug, Default)]
pub struct Jobs {
    by_id: HashMap<String, Job>,
    /// The latest job of each tenant.
    latest_by_tenant: HashMap<String, String>,
    /// Jobs each tenant has started, to let `fail` succeed the second time.
    started_by_tenant: HashMap<String, u32>,
    /// POSTs each tenant has made, for `ratelimit` and `busy`.
    posts_by_tenant: HashMap<String, u32>,
    by_idempotency_key: HashMap<String, String>,
    next_id: u64,
    /// A service-wide limit on new jobs a second (`--new-jobs-per-second`).
    pub new_jobs_per_second: Option<u32>,
    /// When the jobs of the last second started.
    recent_starts: std::collections::VecDeque<u64>,
    /// POSTs refused by that limit, by tenant.
    throttled_by_tenant: HashMap<String, u32>,
    /// Streams of each tenant's jobs.
    streams_by_tenant: HashMap<String, StreamCount>,
}

/// What a batch's tests read of the jobs of tenants whose ids contain a
/// text (`GET /dev/stats?tenants=`).
#[derive(Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub tenants: usize,
    pub jobs: usize,
    pub most_jobs_for_a_tenant: u32,
    /// The most of those jobs unfinished at the same time.
    pub most_running_at_once: usize,
    /// Their POSTs refused by the service-wide limit.
    pub throttled: u32,
    /// Status requests answered for those jobs.
    pub status_reads: u64,
    /// Streams of those tenants' jobs answered 200.
    pub streams_opened: u64,
    /// Those streams still read.
    pub streams_open: u64,
}

/// What a POST comes to.
#[derive(Debug, PartialEq, Eq)]
pub enum StartOutcome {
    /// A new job (or the one an earlier request with the same key created).
    Started(String),
    /// The tenant already runs this job.
    InProgress(String),
    /// The `ratelimit` scenario's first POST.
    RateLimited,
    /// The `dropped` scenario's first POST: the job started, its answer is lost.
    AnswerLost(String),
    /// Over the service-wide limit on new jobs a second.
    Throttled,
}

impl Jobs {
    pub fn get(&self, id: &str) -> Option<&Job> {
        self.by_id.get(id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Job> {
        self.by_id.get_mut(id)
    }

    /// Every job `tenant_id` started, oldest first.
    pub fn ids_for_tenant(&self, tenant_id: &str) -> Vec<String> {
        let mut jobs: Vec<&Job> = self
            .by_id
            .values()
            .filter(|job| job.tenant_id == tenant_id)
            .collect();
        jobs.sort_by_key(|job| (job.created_ms, job.id.clone()));
        jobs.into_iter().map(|job| job.id.clone()).collect()
    }

    /// The jobs of the tenants whose ids contain `part`.
    pub fn stats(&self, part: &str) -> Stats {
        let jobs: Vec<&Job> = self
            .by_id
            .values()
            .filter(|job| job.tenant_id.contains(part))
            .collect();
        let mut per_tenant: HashMap<&str, u32> = HashMap::new();
        for job in &jobs {
            *per_tenant.entry(&job.tenant_id).or_default() += 1;
        }
        // Starts and ends in time order (an end before a start at the same
        // moment): the most running at once is the deepest point.
        let mut edges: Vec<(u64, i32)> = jobs
            .iter()
            .flat_map(|job| {
                let end = job.created_ms + job.plan.finishes_after_ms();
                [(job.created_ms, 1), (end, -1)]
            })
            .collect();
        edges.sort();
        let (mut running, mut most) = (0i32, 0i32);
        for (_, change) in edges {
            running += change;
            most = most.max(running);
        }
        Stats {
            tenants: per_tenant.len(),
            jobs: jobs.len(),
            most_jobs_for_a_tenant: per_tenant.values().copied().max().unwrap_or(0),
            most_running_at_once: most as usize,
            throttled: self
                .throttled_by_tenant
                .iter()
                .filter(|(tenant, _)| tenant.contains(part))
                .map(|(_, n)| n)
                .sum(),
            status_reads: jobs.iter().map(|job| job.polls).sum(),
            streams_opened: self.streams_matching(part).map(|s| s.opened).sum(),
            streams_open: self.streams_matching(part).map(|s| s.open).sum(),
        }
    }

    fn streams_matching<'a>(&'a self, part: &'a str) -> impl Iterator<Item = StreamCount> + 'a {
        self.streams_by_tenant
            .iter()
            .filter(move |(tenant, _)| tenant.contains(part))
            .map(|(_, count)| *count)
    }

    /// The streams of a tenant's jobs.
    pub fn streams(&self, tenant_id: &str) -> StreamCount {
        self.streams_by_tenant
            .get(tenant_id)
            .copied()
            .unwrap_or_default()
    }

    /// A stream of a tenant's job was answered 200.
    pub fn stream_opened(&mut self, tenant_id: &str) {
        let count = self
            .streams_by_tenant
            .entry(tenant_id.to_owned())
            .or_default();
        count.opened += 1;
        count.open += 1;
    }

    /// A stream's body was dropped: it ended, or the client went away.
    pub fn stream_closed(&mut self, tenant_id: &str) {
        if let Some(count) = self.streams_by_tenant.get_mut(tenant_id) {
            count.open = count.open.saturating_sub(1);
        }
    }

    pub fn remove(&mut self, id: &str) {
        self.by_id.remove(id);
    }

    /// Starts a job for `tenant_id`, honouring idempotency keys and the
    /// one-unfinished-job-per-tenant rule.
    pub fn start(
        &mut self,
        tenant_id: &str,
        idempotency_key: Option<&str>,
        now_ms: u64,
        step_ms: u64,
    ) -> StartOutcome {
        // Keys are scoped to the tenant: the same key for another tenant is another request.
        let scoped_key = idempotency_key.map(|key| format!("{tenant_id}\u{0}{key}"));
        if let Some(id) = scoped_key
            .as_ref()
            .and_then(|key| self.by_idempotency_key.get(key))
        {
            if self.by_id.contains_key(id) {
                return StartOutcome::Started(id.clone());
            }
        }
        let scenario = Scenario::for_tenant(tenant_id);
        let posts = self
            .posts_by_tenant
            .entry(tenant_id.to_owned())
            .or_default();
        *posts += 1;
        if matches!(scenario, Scenario::RateLimit | Scenario::RateDate) && *posts == 1 {
            return StartOutcome::RateLimited;
        }
        let busy_first_post = scenario == Scenario::Busy && *posts == 1;
        let dropped_first_post = scenario == Scenario::Dropped && *posts == 1;
        if let Some(running) = self
            .latest_by_tenant
            .get(tenant_id)
            .and_then(|id| self.by_id.get(id))
        {
            if !running.is_final(now_ms) {
                return StartOutcome::InProgress(running.id.clone());
            }
        }
        if let Some(limit) = self.new_jobs_per_second {
            while self
                .recent_starts
                .front()
                .is_some_and(|at| *at + 1_000 <= now_ms)
            {
                self.recent_starts.pop_front();
            }
            if self.recent_starts.len() >= limit as usize {
                *self
                    .throttled_by_tenant
                    .entry(tenant_id.to_owned())
                    .or_default() += 1;
                return StartOutcome::Throttled;
            }
            self.recent_starts.push_back(now_ms);
        }
        let started = self
            .started_by_tenant
            .entry(tenant_id.to_owned())
            .or_default();
        *started += 1;
        let fails_at_step = match scenario {
            Scenario::Fail if *started == 1 => Some(4),
            Scenario::Refail if *started == 1 => Some(4),
            Scenario::Refail => Some(6),
            _ => None,
        };
        self.next_id += 1;
        let id = format!("job_{:06x}", self.next_id * 7919 % 0xFF_FFFF);
        let job = Job {
            id: id.clone(),
            tenant_id: tenant_id.to_owned(),
            plan: Plan::new(scenario, step_ms, fails_at_step),
            created_ms: now_ms,
            polls: 0,
            stream_requests: 0,
        };
        self.by_id.insert(id.clone(), job);
        self.latest_by_tenant
            .insert(tenant_id.to_owned(), id.clone());
        if let Some(key) = scoped_key {
            self.by_idempotency_key.insert(key, id.clone());
        }
        if busy_first_post {
            return StartOutcome::InProgress(id);
        }
        if dropped_first_post {
            return StartOutcome::AnswerLost(id);
        }
        StartOutcome::Started(id)
    }
}
