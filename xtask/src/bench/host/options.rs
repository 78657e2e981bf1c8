//! The command line of `cargo xtask bench host`.

use anyhow::{bail, ensure};

use crate::bench::options::{LoadOptions, count, for_each_flag};

/// The most computers one host may run here (ports `base..base + N` must
/// fit below the kernel's ephemeral range).
pub(crate) const MAX_COMPUTERS: u32 = 10_000;

/// Options of `cargo xtask bench host`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HostOptions {
    /// The host sizes measured, in computers, each on a fresh host.
    pub computers: Vec<u32>,
    /// Seconds per size and run (measured and warm-up), the runs per size,
    /// and the fewest keep-alive connections: a size gets
    /// `max(connections, computers)`, so every computer has at least one.
    pub load: LoadOptions,
}

impl Default for HostOptions {
    fn default() -> Self {
        Self {
            computers: vec![1, 10, 100, 1000],
            load: LoadOptions {
                duration: 5.0,
                warmup: 1.0,
                connections: 50,
                runs: 1,
            },
        }
    }
}

impl HostOptions {
    /// Parses `--flag VALUE` pairs (also `--flag=VALUE`).
    pub(crate) fn parse(args: &[String]) -> anyhow::Result<Self> {
        let mut options = Self::default();
        for_each_flag(args, |flag, value| {
            if options.load.set(flag, value, 10_000)? {
                return Ok(());
            }
            match flag {
                "--computers" => options.computers = sizes(&value()?)?,
                other => bail!("unknown option `{other}`"),
            }
            Ok(())
        })?;
        Ok(options)
    }

    /// The connections of the load on `computers` computers.
    pub(crate) fn connections_for(&self, computers: u32) -> u32 {
        self.load.connections.max(computers)
    }
}

/// `1,10,100`: distinct sizes between 1 and [`MAX_COMPUTERS`], in
/// ascending order.
fn sizes(text: &str) -> anyhow::Result<Vec<u32>> {
    let mut sizes = text
        .split(',')
        .map(|s| count("--computers", s.trim(), MAX_COMPUTERS))
        .collect::<anyhow::Result<Vec<u32>>>()?;
    sizes.sort_unstable();
    sizes.dedup();
    ensure!(!sizes.is_empty(), "--computers needs at least one size");
    Ok(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<HostOptions> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        HostOptions::parse(&args)
    }

    #[test]
    fn defaults() {
        let o = parse(&[]).unwrap();
        assert_eq!(o, HostOptions::default());
        assert_eq!(o.computers, [1, 10, 100, 1000]);
        assert_eq!(
            [1, 10, 100, 1000].map(|n| o.connections_for(n)),
            [50, 50, 100, 1000]
        );
    }

    #[test]
    fn all_flags() {
        let o = parse(&[
            "--computers",
            "100, 1,10,10",
            "--duration=2",
            "--warmup",
            "0.5",
            "--connections",
            "20",
            "--runs",
            "3",
        ])
        .unwrap();
        assert_eq!(
            o,
            HostOptions {
                computers: vec![1, 10, 100],
                load: LoadOptions {
                    duration: 2.0,
                    warmup: 0.5,
                    connections: 20,
                    runs: 3,
                },
            }
        );
    }

    #[test]
    fn bad_input() {
        assert!(parse(&["--computers", "0"]).is_err());
        assert!(parse(&["--computers", "1,x"]).is_err());
        assert!(parse(&["--computers", "20000"]).is_err());
        assert!(parse(&["--computers"]).is_err());
        assert!(parse(&["--only", "bare"]).is_err());
        assert!(parse(&["--duration", "0"]).is_err());
    }
}
