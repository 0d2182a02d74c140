//! Values built on a thread of their own while the caller goes on, waited for at first use.
//!
//! A Vulkan driver compiles a pipeline on the thread that creates it; on a CPU adapter
//! (lavapipe) that is most of a renderer's start-up. Built in the background, the pipelines
//! compile on one core while the field evaluates on the others.

use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;

pub struct Spawned<T> {
    value: OnceLock<T>,
    builder: Mutex<Option<JoinHandle<T>>>,
}

impl<T: Send + 'static> Spawned<T> {
    /// Starts `build` on a new thread.
    pub fn spawn(build: impl FnOnce() -> T + Send + 'static) -> Spawned<T> {
        Spawned {
            value: OnceLock::new(),
            builder: Mutex::new(Some(std::thread::spawn(build))),
        }
    }

    /// The value, once built; the first call waits for it. A panic while building is raised
    /// here, on the caller's thread.
    pub fn get(&self) -> &T {
        self.value.get_or_init(|| {
            let builder = self
                .builder
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            match builder.map(JoinHandle::join) {
                Some(Ok(value)) => value,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => unreachable!("the builder is taken only to set the value"),
            }
        })
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.get();
        self.value.get_mut().expect("set by get")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_is_built_once_and_kept() {
        let mut built = Spawned::spawn(|| vec![1, 2, 3]);
        assert_eq!(built.get(), &[1, 2, 3]);
        built.get_mut().push(4);
        assert_eq!(built.get(), &[1, 2, 3, 4]);
    }

    #[test]
    #[should_panic(expected = "no pipelines")]
    fn a_panic_while_building_reaches_the_caller() {
        let built: Spawned<u32> = Spawned::spawn(|| panic!("no pipelines"));
        built.get();
    }
}
