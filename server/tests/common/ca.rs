//! A certification authority outside the service, as in production: certomancer's animator
//! (PyPI, in the test venv of `scripts/setup.sh test`) with `tests/fixtures/certomancer-ca.yml`
//! — a root, two RFC 3161 time-stamping units (one revoked), an OCSP responder and a CRL
//! distribution point, at the addresses the time-stamping certificates name. It stops when the
//! [`Ca`] is dropped.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::validators::venv_bin;

pub struct Ca {
    base: String,
    /// The root certificate (PEM).
    pub root: PathBuf,
    /// The shell keeping certomancer alive: it kills certomancer when its standard input (our
    /// end of the pipe, dropped with this) closes.
    _keeper: Child,
    _dir: tempfile::TempDir,
}

impl Ca {
    /// Generates the CA's keys and starts it on a free port; returns once it listens.
    pub fn start() -> Ca {
        let dir = tempfile::Builder::new()
            .prefix("pli-ca-")
            .tempdir()
            .expect("dir");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("free port")
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let config = dir.path().join("certomancer.yml");
        let template = include_str!("../fixtures/certomancer-ca.yml");
        std::fs::write(&config, template.replace("@URL@", &base)).expect("config");
        for key in ["root", "tsa", "tsa-revoked"] {
            let out = dir.path().join(format!("{key}.key.pem"));
            run(Command::new("openssl")
                .args(["genpkey", "-algorithm", "RSA", "-pkeyopt"])
                .arg("rsa_keygen_bits:2048")
                .arg("-out")
                .arg(&out));
        }
        let certomancer = venv_bin("certomancer");
        let root = dir.path().join("root.pem");
        run(Command::new(&certomancer)
            .arg("--config")
            .arg(&config)
            .args(["summon", "ca", "root"])
            .arg(&root));
        let keeper = Command::new("sh")
            .arg("-c")
            .arg(r#""$@" </dev/null >animator.log 2>&1 & pid=$!; read -r _; kill "$pid""#)
            .arg("sh")
            .arg(&certomancer)
            .arg("--config")
            .arg(&config)
            .args(["animate", "--no-web-ui", "--port"])
            .arg(port.to_string())
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .spawn()
            .expect("start certomancer");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "certomancer did not start; see {}",
                dir.path().join("animator.log").display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Ca {
            base,
            root,
            _keeper: keeper,
            _dir: dir,
        }
    }

    /// The RFC 3161 address of the time-stamping unit `name` (`tsa` or `tsa-revoked`).
    pub fn tsa_url(&self, name: &str) -> String {
        format!("{}/ca/tsa/{name}", self.base)
    }

    /// The CA's directory (its log: `animator.log`).
    pub fn dir(&self) -> &Path {
        self._dir.path()
    }
}

fn run(command: &mut Command) {
    let out = command.output().expect("run");
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
