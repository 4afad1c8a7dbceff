//! One way for a component to run long work in the page's idle time: a
//! task held for the component, planned again when its key changes (go
//! on with what it has, start anew, clear it, or leave it), run by a
//! spawned loop that stops once the task is replaced, and rendered as it
//! goes. A task that is [`Resumable`] runs a slice at a time
//! ([`TaskHandle::run_slices`]); one that waits on other things (the regex
//! search's Workers) runs its own loop with the same handle.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use yew::prelude::*;

use crate::sliced_work::{Resumable, SliceBudget};

struct Held<T> {
    /// Which task this is: a loop whose task was replaced stops.
    id: u64,
    task: T,
    /// A loop is running it.
    running: bool,
}

type Shared<T> = Rc<RefCell<Option<Held<T>>>>;

/// The task a component holds (none before its first plan, or cleared).
pub struct TaskSlot<T>(Shared<T>);

impl<T> Clone for TaskSlot<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> TaskSlot<T> {
    pub fn task(&self) -> Option<Ref<'_, T>> {
        Ref::filter_map(self.0.borrow(), |held| held.as_ref().map(|h| &h.task)).ok()
    }

    /// A part of the task (or of nothing), borrowed.
    pub fn read<R: ?Sized>(&self, part: impl FnOnce(Option<&T>) -> &R) -> Ref<'_, R> {
        Ref::map(self.0.borrow(), |held| part(held.as_ref().map(|h| &h.task)))
    }

    /// Which task is held (0: none); a new task has a new id.
    pub fn id(&self) -> u64 {
        self.0.borrow().as_ref().map_or(0, |h| h.id)
    }

    /// A loop is running the task.
    pub fn running(&self) -> bool {
        self.0.borrow().as_ref().is_some_and(|h| h.running)
    }
}

/// What becomes of the held task when the key changes.
pub enum Plan<T> {
    /// Go on with it (the planner brought it up to date); run it if no
    /// loop is running it.
    Resume,
    /// Replace it with this one, and run it.
    Start(T),
    /// Drop it.
    Clear,
    /// Leave it as it is, running or not.
    Leave,
}

/// A running loop's hold on its task.
pub struct TaskHandle<T> {
    shared: Shared<T>,
    id: u64,
    rerender: UseForceUpdateHandle,
}

impl<T> TaskHandle<T> {
    /// Runs `change` on the task while it is still this loop's: `None`
    /// once it was replaced. Nothing stays borrowed for a render after.
    pub fn with<R>(&self, change: impl FnOnce(&mut T) -> R) -> Option<R> {
        let mut held = self.shared.borrow_mut();
        held.as_mut()
            .filter(|h| h.id == self.id)
            .map(|h| change(&mut h.task))
    }

    pub fn render(&self) {
        self.rerender.force_update();
    }

    /// The loop ends: the task is no longer running.
    pub fn finish(&self) {
        let mut held = self.shared.borrow_mut();
        if let Some(held) = held.as_mut().filter(|h| h.id == self.id) {
            held.running = false;
        }
    }
}

impl<T: Resumable> TaskHandle<T> {
    /// Runs the task a slice of `budget` at a time, yielding to the
    /// browser between slices, until it is done or replaced. After each
    /// slice `look` reads the task (and whether it is done) while it is
    /// held, then `tell` gets what it read with nothing held (it may emit
    /// callbacks, which can render) and says whether to render.
    pub async fn run_slices<R>(
        self,
        budget: SliceBudget,
        mut look: impl FnMut(&mut T, bool) -> R,
        mut tell: impl FnMut(R) -> bool,
    ) {
        loop {
            let slice = self.with(|task| {
                let done = budget.run(js_sys::Date::now, task);
                (done, look(task, done))
            });
            let Some((done, seen)) = slice else {
                return;
            };
            if done {
                self.finish();
            }
            if tell(seen) || done {
                self.render();
            }
            if done {
                return;
            }
            TimeoutFuture::new(0).await;
        }
    }
}

/// Holds a task for the component: each time `key` changes, `plan` decides
/// from the key and the held task (if any) what becomes of it, and `run`
/// is given a handle when the task is to run (it spawns the loop).
#[hook]
pub fn use_sliced_task<K, T, P, R>(key: K, plan: P, run: R) -> TaskSlot<T>
where
    K: PartialEq + Clone + 'static,
    T: 'static,
    P: FnOnce(&K, Option<&mut T>) -> Plan<T> + 'static,
    R: FnOnce(TaskHandle<T>) + 'static,
{
    let shared: Shared<T> = use_mut_ref(|| None);
    let next_id = use_mut_ref(|| 0u64);
    let rerender = use_force_update();
    {
        let shared = shared.clone();
        use_effect_with(key, move |key| {
            let decided = {
                let mut held = shared.borrow_mut();
                plan(key, held.as_mut().map(|h| &mut h.task))
            };
            // What to run, and whether to render now (a new or dropped task
            // shows at once), decided while the slot is held; done after.
            let (start, render) = {
                let mut held = shared.borrow_mut();
                match decided {
                    Plan::Leave => (None, false),
                    Plan::Clear => (None, held.take().is_some()),
                    Plan::Resume => (held.as_ref().filter(|h| !h.running).map(|h| h.id), false),
                    Plan::Start(task) => {
                        let mut n = next_id.borrow_mut();
                        *n += 1;
                        *held = Some(Held {
                            id: *n,
                            task,
                            running: false,
                        });
                        (Some(*n), true)
                    }
                }
            };
            if render {
                rerender.force_update();
            }
            if let Some(id) = start {
                if let Some(held) = shared.borrow_mut().as_mut() {
                    held.running = true;
                }
                run(TaskHandle {
                    shared,
                    id,
                    rerender,
                });
            }
        });
    }
    TaskSlot(shared)
}
