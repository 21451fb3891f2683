//! A scripted raw server, for byte-level hostility the [`MockServer`](crate::MockServer)
//! cannot produce: exact bytes (broken HTTP, lying `Content-Length`), a body
//! that drips or never ends, an answer that echoes the request back.
//!
//! It speaks no HTTP of its own: it reads a request head, then follows its
//! [`Script`] byte for byte. Use the `MockServer` with its faults wherever
//! they suffice; use this where the bytes themselves are the test.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What a [`ScriptedServer`] does with a connection, once it has read the
/// request head.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Script {
    /// Writes these bytes, then closes. One connection.
    Raw(Vec<u8>),
    /// Writes `head` at once, then `body` one byte per `every`. One connection.
    Drip {
        /// Written at once.
        head: Vec<u8>,
        /// Written one byte at a time.
        body: Vec<u8>,
        /// The pause after each byte of `body`.
        every: Duration,
    },
    /// Writes `head`, then `chunk` again and again until the client goes.
    /// One connection.
    Endless {
        /// Written first.
        head: Vec<u8>,
        /// Written until a write fails.
        chunk: Vec<u8>,
    },
    /// Answers every connection with `status` and a body that echoes the
    /// request head, headers and all, as some proxies' error pages and
    /// debugging endpoints do: JSON (`message` and `requestURI`) when
    /// `content_type` is `application/json`, else an HTML page.
    Echo {
        /// Such as `403 Forbidden`.
        status: &'static str,
        /// Such as `text/html`.
        content_type: &'static str,
    },
}

/// A loopback server that follows a [`Script`]; see the module docs.
#[derive(Debug)]
pub struct ScriptedServer {
    base_url: String,
    written: Arc<AtomicU64>,
    task: JoinHandle<bool>,
}

impl ScriptedServer {
    /// Binds a free loopback port and starts serving `script` on the current
    /// tokio runtime.
    pub async fn start(script: Script) -> io::Result<ScriptedServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let written = Arc::new(AtomicU64::new(0));
        let counter = written.clone();
        let task = tokio::spawn(async move {
            if let Script::Echo {
                status,
                content_type,
            } = script
            {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return false;
                    };
                    tokio::spawn(echo(stream, status, content_type));
                }
            }
            let Ok((mut stream, _)) = listener.accept().await else {
                return false;
            };
            if read_request_head(&mut stream).await.is_none() {
                return true;
            }
            let mut write = async |bytes: &[u8]| -> bool {
                let ok = stream.write_all(bytes).await.is_ok();
                if ok {
                    counter.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                }
                ok
            };
            match script {
                Script::Raw(bytes) => {
                    write(&bytes).await;
                    false
                }
                Script::Drip { head, body, every } => {
                    if !write(&head).await {
                        return true;
                    }
                    for byte in body {
                        if !write(&[byte]).await {
                            return true;
                        }
                        tokio::time::sleep(every).await;
                    }
                    false
                }
                Script::Endless { head, chunk } => {
                    if !write(&head).await {
                        return true;
                    }
                    loop {
                        if !write(&chunk).await {
                            return true;
                        }
                    }
                }
                Script::Echo { .. } => unreachable!("answered above"),
            }
        });
        Ok(ScriptedServer {
            base_url,
            written,
            task,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How many bytes the script has written so far.
    pub fn bytes_written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// Waits until a one-connection script ends; `true` when the client
    /// closed the connection before the script was done.
    pub async fn client_hung_up(&mut self) -> bool {
        (&mut self.task).await.unwrap_or(false)
    }

    /// Stops serving.
    pub fn abort(&self) {
        self.task.abort();
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads up to the end of a request head; `None` if the client went first.
async fn read_request_head(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return None,
            Ok(read) => head.extend_from_slice(&buffer[..read]),
        }
    }
    Some(head)
}

async fn echo(mut stream: TcpStream, status: &'static str, content_type: &'static str) {
    let Some(head) = read_request_head(&mut stream).await else {
        return;
    };
    let request = String::from_utf8_lossy(&head).into_owned();
    let body = if content_type == "application/json" {
        serde_json::json!({"message": request, "requestURI": request}).to_string()
    } else {
        format!("<html><body><pre>{request}</pre></body></html>")
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
}
