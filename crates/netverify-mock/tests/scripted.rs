//! The scripted raw server, from a raw TCP client: each script's bytes,
//! timing and end, what it counts, and how it stops.

use std::time::{Duration, Instant};

use netverify_mock::scripted::{Script, ScriptedServer};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

const REQUEST: &[u8] = b"GET /x HTTP/1.1\r\nHost: a\r\nAuthorization: Basic c2VjcmV0\r\n\r\n";

async fn connect(server: &ScriptedServer) -> TcpStream {
    let address = server.base_url().trim_start_matches("http://");
    TcpStream::connect(address).await.unwrap()
}

/// Sends a request head, then reads until the server closes.
async fn exchange(server: &ScriptedServer) -> Vec<u8> {
    let mut stream = connect(server).await;
    stream.write_all(REQUEST).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    answer
}

#[tokio::test]
async fn raw_bytes_are_written_as_they_are_once_the_request_head_arrived() {
    let bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n{".to_vec();
    let mut server = ScriptedServer::start(Script::Raw(bytes.clone()))
        .await
        .unwrap();
    assert!(server.base_url().starts_with("http://127.0.0.1:"));
    let mut stream = connect(&server).await;
    // Half a head: nothing comes back yet.
    stream.write_all(&REQUEST[..10]).await.unwrap();
    let mut first = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(200), stream.read(&mut first)).await;
    assert!(early.is_err(), "the server answered before the head ended");
    stream.write_all(&REQUEST[10..]).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    assert_eq!(answer, bytes);
    assert_eq!(server.bytes_written(), bytes.len() as u64);
    assert!(!server.client_hung_up().await, "the script ran to its end");
}

#[tokio::test]
async fn a_client_that_leaves_before_its_head_ends_has_hung_up() {
    let mut server = ScriptedServer::start(Script::Raw(b"never sent".to_vec()))
        .await
        .unwrap();
    let mut stream = connect(&server).await;
    stream.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
    drop(stream);
    assert!(server.client_hung_up().await);
    assert_eq!(server.bytes_written(), 0);
}

#[tokio::test]
async fn a_drip_writes_its_head_then_one_byte_per_pause() {
    let mut server = ScriptedServer::start(Script::Drip {
        head: b"HEAD:".to_vec(),
        body: b"abc".to_vec(),
        every: Duration::from_millis(100),
    })
    .await
    .unwrap();
    let started = Instant::now();
    assert_eq!(exchange(&server).await, b"HEAD:abc");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(server.bytes_written(), 8);
    assert!(!server.client_hung_up().await);
}

#[tokio::test]
async fn a_drip_stops_when_the_client_hangs_up() {
    let mut server = ScriptedServer::start(Script::Drip {
        head: b"HEAD:".to_vec(),
        body: vec![b'x'; 10_000],
        every: Duration::from_millis(1),
    })
    .await
    .unwrap();
    let mut stream = connect(&server).await;
    stream.write_all(REQUEST).await.unwrap();
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).await.unwrap();
    drop(stream);
    assert!(server.client_hung_up().await);
    assert!(
        server.bytes_written() < 10_005,
        "{}",
        server.bytes_written()
    );
}

#[tokio::test]
async fn an_endless_body_goes_on_until_the_client_hangs_up() {
    let mut server = ScriptedServer::start(Script::Endless {
        head: b"HTTP/1.1 200 OK\r\n\r\n".to_vec(),
        chunk: vec![b' '; 64 * 1024],
    })
    .await
    .unwrap();
    let mut stream = connect(&server).await;
    stream.write_all(REQUEST).await.unwrap();
    let mut read = vec![0u8; 4 * 1024 * 1024];
    stream.read_exact(&mut read).await.unwrap();
    assert!(read.starts_with(b"HTTP/1.1 200 OK\r\n\r\n   "));
    drop(stream);
    assert!(server.client_hung_up().await);
    assert!(server.bytes_written() >= 4 * 1024 * 1024);
}

#[tokio::test]
async fn an_echo_answers_every_connection_with_the_request_head() {
    let json = ScriptedServer::start(Script::Echo {
        status: "403 Forbidden",
        content_type: "application/json",
    })
    .await
    .unwrap();
    let request = String::from_utf8(REQUEST.to_vec()).unwrap();
    for _ in 0..2 {
        let answer = String::from_utf8(exchange(&json).await).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 403 Forbidden\r\n"), "{head}");
        assert!(head.contains("Content-Type: application/json"), "{head}");
        assert!(
            head.contains(&format!("Content-Length: {}", body.len())),
            "{head}"
        );
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["message"], request.as_str());
        assert_eq!(body["requestURI"], request.as_str());
    }

    let html = ScriptedServer::start(Script::Echo {
        status: "401 Unauthorized",
        content_type: "text/html",
    })
    .await
    .unwrap();
    let answer = String::from_utf8(exchange(&html).await).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 401 Unauthorized\r\n"),
        "{answer}"
    );
    assert!(
        answer.ends_with(&format!(
            "\r\n\r\n<html><body><pre>{request}</pre></body></html>"
        )),
        "{answer}"
    );
}

#[tokio::test]
async fn an_aborted_or_dropped_server_refuses_connections() {
    let script = || Script::Echo {
        status: "200 OK",
        content_type: "text/html",
    };
    let aborted = ScriptedServer::start(script()).await.unwrap();
    let address = aborted.base_url().trim_start_matches("http://").to_owned();
    aborted.abort();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(TcpStream::connect(&address).await.is_err());

    let dropped = ScriptedServer::start(script()).await.unwrap();
    let address = dropped.base_url().trim_start_matches("http://").to_owned();
    drop(dropped);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(TcpStream::connect(&address).await.is_err());
}
