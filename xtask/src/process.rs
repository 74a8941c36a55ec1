//! Running commands: echoed, stopping at the first failure, children killed on drop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// An error that stops the task, with what to do about it.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the folder above `xtask/`).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// `cargo` as invoked by the user (the `CARGO` variable cargo sets for `cargo run`).
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Prints the command, runs it, and fails with its exit status.
pub fn run(mut cmd: impl std::borrow::BorrowMut<Command>) -> Result {
    let cmd = cmd.borrow_mut();
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// Runs the command quietly and returns its standard output, or `None` if it cannot run or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// A spawned process that is killed when the guard goes out of scope.
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a pantau-server command (`--addr 127.0.0.1:0` among its arguments) and waits for
/// the "listening on" line it prints: the running process, its id and its `host:port`.
pub fn spawn_listening(cmd: &mut Command) -> Result<(ChildGuard, u32, String)> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    let pid = child.id();
    let stdout = child.stdout.take().ok_or("the server has no stdout")?;
    let guard = ChildGuard(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("the server did not start: {e}"))?;
    let addr = line.trim().rsplit("http://").next().unwrap_or_default().to_owned();
    Ok((guard, pid, addr))
}
