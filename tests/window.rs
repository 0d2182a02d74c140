//! The window end to end on a real X server: a private Xvfb, driven with xdotool. Its own test
//! binary (`harness = false`): a process has one event loop, on its main thread.

mod common;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const FIX: &str = "window tests need Xvfb and xdotool (on Debian/Ubuntu: sudo apt-get install \
                   xvfb xdotool libxkbcommon-x11-0 libxcursor1 libxi6 libxrandr2)";

/// A private X server, even where the caller has a display: xdotool's keys and clicks must
/// not land on a desktop, and the server must not reset.
struct Xvfb {
    server: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Self {
        let mut server = Command::new("Xvfb")
            // -displayfd: the server picks a free display and prints its number once it accepts
            // clients (no guessing from lock files, no polling). -noreset: by default it resets
            // whenever its last client leaves and refuses connections meanwhile, so gradscape
            // starting while an xdotool probe disconnected failed with "cannot open a window".
            .args(["-displayfd", "1", "-noreset", "-nolisten", "tcp"])
            .args(["-screen", "0", "1280x1024x24"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Xvfb ({e}): {FIX}"));
        // Read on a thread: a server that never gets ready fails the test instead of hanging it.
        let (sender, receiver) = std::sync::mpsc::channel();
        if let Some(stdout) = server.stdout.take() {
            std::thread::spawn(move || {
                let mut line = String::new();
                let _ = std::io::BufReader::new(stdout).read_line(&mut line);
                let _ = sender.send(line);
            });
        }
        let number = receiver
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_default();
        let number = number.trim();
        // Built before the check, so that a failed start is stopped too.
        let xvfb = Self {
            server,
            display: format!(":{number}"),
        };
        assert!(
            !number.is_empty(),
            "Xvfb gave no display within 30 s: {FIX}"
        );
        xvfb
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM, not Child::kill's SIGKILL: the server then removes its lock file and socket.
        #[cfg(unix)]
        // SAFETY: kill(2) on the pid of a child not yet waited for, so it cannot be reused.
        unsafe {
            libc::kill(self.server.id() as libc::pid_t, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while matches!(self.server.try_wait(), Ok(None)) {
            if Instant::now() > deadline {
                let _ = self.server.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.server.wait();
    }
}

fn wait_for(mut ready: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn xdotool(display: &str, args: &[&str]) -> String {
    let output = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .unwrap_or_else(|e| panic!("cannot run xdotool ({e}): {FIX}"));
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn pngs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list the screenshot directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    files.sort();
    files
}

fn png_size_and_pixels(path: &Path) -> ((u32, u32), Vec<u8>) {
    let image = common::load_png(path);
    ((image.width, image.height), image.rgba)
}

/// CPU seconds the process has used so far (user + system), from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: f64 = fields
        .get(11..13)
        .map(|f| f.iter().filter_map(|v| v.parse::<f64>().ok()).sum())
        .unwrap_or(0.0);
    ticks / 100.0
}

fn main() {
    let xvfb = Xvfb::start();
    let display = xvfb.display.as_str();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("window-shots");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).expect("screenshot directory");

    let mut app = Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args(["--size", "480x360", "--grid", "64"])
        .current_dir(&shots)
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gradscape");

    let mut window = String::new();
    wait_for(
        || {
            if let Ok(Some(status)) = app.try_wait() {
                let mut stderr = String::new();
                if let Some(mut pipe) = app.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
                }
                panic!("gradscape exited before showing a window ({status}): {stderr}");
            }
            window = xdotool(display, &["search", "--name", "^gradscape"]);
            !window.is_empty()
        },
        "the gradscape window",
    );
    let window = window.lines().next().unwrap_or_default().to_owned();
    // Without a window manager nothing gives the window focus.
    let focus = || xdotool(display, &["windowfocus", "--sync", &window]);
    let key = |name: &str| {
        focus();
        xdotool(display, &["key", name]);
    };
    let screenshot = |count: usize| {
        key("p");
        wait_for(|| pngs(&shots).len() == count, "the screenshot file");
        // Written to a temporary name and linked into place: complete once it exists.
        pngs(&shots).pop().expect("a screenshot")
    };
    std::thread::sleep(Duration::from_millis(500));

    let first = screenshot(1);
    let (size, first_pixels) = png_size_and_pixels(&first);
    assert_eq!(size, (480, 360), "screenshot of exactly the window");

    // Orbit with a left drag and see the picture change.
    xdotool(display, &["mousemove", "--window", &window, "240", "180"]);
    xdotool(display, &["mousedown", "1"]);
    for step in 1..=8 {
        let x = (240 + step * 10).to_string();
        xdotool(display, &["mousemove", "--window", &window, &x, "190"]);
    }
    xdotool(display, &["mouseup", "1"]);
    let orbited_pixels = png_size_and_pixels(&screenshot(2)).1;
    assert_ne!(orbited_pixels, first_pixels, "the drag changed nothing");

    // Idle: no redraw loop.
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_seconds(app.id());
    std::thread::sleep(Duration::from_secs(2));
    let idle = cpu_seconds(app.id()) - before;
    assert!(idle < 0.3, "the idle window used {idle:.2} s of CPU in 2 s");

    // Minimise-like shrink to 1×1 and back, then the map view.
    xdotool(display, &["windowsize", "--sync", &window, "1", "1"]);
    std::thread::sleep(Duration::from_millis(300));
    xdotool(display, &["windowsize", "--sync", &window, "480", "360"]);
    key("Tab");
    let map = screenshot(3);
    let map_pixels = png_size_and_pixels(&map).1;
    // Compared with the view just before Tab, so a Tab that egui swallowed shows.
    assert_ne!(map_pixels, orbited_pixels, "Tab changed nothing");

    // Open the panel and type a bad expression: the keys go to the text field (q does not
    // quit, s r t do not act), the error stays in the panel, the figure is unchanged.
    xdotool(display, &["windowsize", "--sync", &window, "900", "500"]);
    key("h");
    std::thread::sleep(Duration::from_millis(500));
    xdotool(
        display,
        &["mousemove", "--window", &window, "150", "106", "click", "1"],
    );
    std::thread::sleep(Duration::from_millis(300));
    xdotool(display, &["key", "ctrl+a"]);
    xdotool(display, &["type", "--delay", "30", "sqrt(q) *"]);
    xdotool(display, &["key", "Return"]);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        app.try_wait().expect("poll gradscape").is_none(),
        "typing q quit the window"
    );
    // Leave the field, close the panel, and the figure is the same map as before.
    xdotool(
        display,
        &["mousemove", "--window", &window, "700", "300", "click", "1"],
    );
    key("h");
    xdotool(display, &["windowsize", "--sync", &window, "480", "360"]);
    std::thread::sleep(Duration::from_millis(300));
    let after = screenshot(4);
    assert_eq!(
        png_size_and_pixels(&after).1,
        map_pixels,
        "a bad expression changed the figure"
    );

    key("q");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = app.try_wait().expect("wait for gradscape") {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "Q did not quit");
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = app.wait_with_output().expect("gradscape output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(status.success(), "exit {status}: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("ERROR"),
        "{stderr}"
    );
    assert_eq!(
        stdout.lines().count(),
        4,
        "one printed path per screenshot: {stdout}"
    );
    println!(
        "window test: ok ({} screenshots, idle CPU {idle:.3} s in 2 s)",
        pngs(&shots).len()
    );
}
