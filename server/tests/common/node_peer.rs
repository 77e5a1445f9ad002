//! A test peer from the npm registry, run by a script of `end2end/peers/` with Node (`make
//! test` installs their `node_modules`): started, awaited until it answers, stopped when
//! dropped.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub struct NodePeer {
    child: Child,
}

impl NodePeer {
    /// Runs `end2end/peers/<script>` with `args`.
    pub fn spawn<I, S>(script: &str, args: I) -> NodePeer
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/peers"));
        let child = Command::new("node")
            .arg(path.join(script))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node (make test installs it)");
        NodePeer { child }
    }

    /// A peer that is not there.
    pub fn none() -> NodePeer {
        NodePeer {
            child: Command::new("true").spawn().expect("true"),
        }
    }

    /// Waits until `url` answers with a success.
    pub async fn ready(url: &str) {
        for _ in 0..200 {
            if let Ok(response) = reqwest::get(url).await
                && response.status().is_success()
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the test peer did not start ({url})");
    }
}

impl Drop for NodePeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
