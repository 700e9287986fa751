//! A real SMTP server for the delivery tests, started inside the test on a free port: it speaks
//! the protocol over TCP (greeting, EHLO, MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET,
//! QUIT), keeps what it accepts, and answers DATA as it is told: accept, refuse (5xx) or
//! "try later" (4xx).

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// How the server answers the end of DATA.
#[derive(Debug, Clone)]
pub enum Answer {
    Accept,
    /// `554 5.7.1 <text>`.
    Refuse(String),
    /// `451 4.3.0 <text>`.
    Later(String),
}

/// A message the server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    answer: Arc<Mutex<Answer>>,
    /// Every DATA the server was given, accepted or not.
    pub data_count: Arc<Mutex<usize>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP test server");
        let port = listener.local_addr().expect("address").port();
        let server = SmtpServer {
            port,
            received: Arc::new(Mutex::new(Vec::new())),
            answer: Arc::new(Mutex::new(Answer::Accept)),
            data_count: Arc::new(Mutex::new(0)),
        };
        let s = server.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = s.conversation(socket).await;
                });
            }
        });
        server
    }

    pub fn answer(&self, a: Answer) {
        *self.answer.lock().expect("lock") = a;
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    pub fn data_count(&self) -> usize {
        *self.data_count.lock().expect("lock")
    }

    async fn conversation(&self, socket: TcpStream) -> std::io::Result<()> {
        let (r, mut w) = socket.into_split();
        let mut r = BufReader::new(r);
        w.write_all(b"220 test.localhost ESMTP creance-test\r\n").await?;
        let mut from = String::new();
        let mut to = Vec::new();
        loop {
            let mut line = Vec::new();
            if r.read_until(b'\n', &mut line).await? == 0 {
                return Ok(());
            }
            let text = String::from_utf8_lossy(&line).trim_end().to_string();
            let upper = text.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                w.write_all(b"250-test.localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n").await?;
            } else if upper.starts_with("HELO") {
                w.write_all(b"250 test.localhost\r\n").await?;
            } else if upper.starts_with("MAIL FROM:") {
                from = angle(&text);
                to.clear();
                w.write_all(b"250 2.1.0 Ok\r\n").await?;
            } else if upper.starts_with("RCPT TO:") {
                to.push(angle(&text));
                w.write_all(b"250 2.1.5 Ok\r\n").await?;
            } else if upper == "DATA" {
                w.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = Vec::new();
                loop {
                    let mut l = Vec::new();
                    if r.read_until(b'\n', &mut l).await? == 0 {
                        return Ok(());
                    }
                    if l == b".\r\n" {
                        break;
                    }
                    if l.starts_with(b"..") {
                        l.remove(0);
                    }
                    data.extend_from_slice(&l);
                }
                *self.data_count.lock().expect("lock") += 1;
                let answer = self.answer.lock().expect("lock").clone();
                match answer {
                    Answer::Accept => {
                        let n = {
                            let mut got = self.received.lock().expect("lock");
                            got.push(Received { from: from.clone(), to: to.clone(), data });
                            got.len()
                        };
                        w.write_all(format!("250 2.0.0 Ok: queued as TEST{n}\r\n").as_bytes()).await?;
                    }
                    Answer::Refuse(t) => w.write_all(format!("554 5.7.1 {t}\r\n").as_bytes()).await?,
                    Answer::Later(t) => w.write_all(format!("451 4.3.0 {t}\r\n").as_bytes()).await?,
                }
            } else if upper == "RSET" || upper == "NOOP" {
                w.write_all(b"250 2.0.0 Ok\r\n").await?;
            } else if upper == "QUIT" {
                w.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            } else {
                w.write_all(b"502 5.5.2 Error: command not recognized\r\n").await?;
            }
        }
    }
}

fn angle(line: &str) -> String {
    match (line.find('<'), line.find('>')) {
        (Some(a), Some(b)) if b > a => line[a + 1..b].to_string(),
        _ => String::new(),
    }
}
