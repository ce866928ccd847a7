//! Security rules: origin allowlist, IP and country blocklists, client IP;
//! visitor identity (JWT, OAuth code exchange) in the submodules.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;
use lcw_sdk::core::protocol::ErrorCode;

use crate::config::{ServerConfig, WidgetSettings};
use crate::error::ApiError;

pub mod agents;
pub mod jwt;
pub mod limits;
pub mod oauth;
pub mod reauth;
pub mod sessions;
pub mod turn;

/// Whether `origin` matches an allowlist pattern: exact origin, `*`, or a
/// `scheme://*.domain[:port]` wildcard (subdomains only).
pub fn origin_matches(pattern: &str, origin: &str) -> bool {
    let (p, o) = (pattern.trim().trim_end_matches('/').to_ascii_lowercase(), origin.trim().to_ascii_lowercase());
    if p == "*" || p == o {
        return true;
    }
    let (Some((ps, prest)), Some((os, orest))) = (p.split_once("://"), o.split_once("://")) else { return false };
    if ps != os {
        return false;
    }
    match prest.strip_prefix("*.") {
        Some(suffix) => orest.len() > suffix.len() + 1 && orest.ends_with(&format!(".{suffix}")),
        None => false,
    }
}

/// Parsed IP blocklist.
#[derive(Debug, Clone, Default)]
pub struct IpBlocklist(Vec<IpNet>);

impl IpBlocklist {
    /// Parses entries (`1.2.3.4` or CIDR); invalid entries are errors.
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        let mut nets = Vec::new();
        for e in entries {
            let e = e.trim();
            let net = e.parse::<IpNet>().or_else(|_| e.parse::<IpAddr>().map(IpNet::from)).map_err(|_| format!("bad blocked_ips entry {e:?}"))?;
            nets.push(net);
        }
        Ok(IpBlocklist(nets))
    }

    /// Whether `ip` is blocked.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
            v4 => v4,
        };
        self.0.iter().any(|n| n.contains(&ip))
    }
}

/// Client IP: the configured trusted header's first entry, else the peer address.
pub fn client_ip(cfg: &ServerConfig, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
    if let Some(h) = &cfg.trusted_ip_header {
        if let Some(ip) = headers
            .get(h.as_str())
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return ip;
        }
    }
    peer.ip()
}

/// Checks the widget's origin allowlist and country blocklist.
/// A request without `Origin` (not from a browser page) passes the origin rule.
pub fn check_widget_access(cfg: &ServerConfig, widget: &WidgetSettings, headers: &HeaderMap) -> Result<(), ApiError> {
    if let Some(origin) = headers.get("origin").and_then(|v| v.to_str().ok()) {
        if !widget.allowed_origins.iter().any(|p| origin_matches(p, origin)) {
            return Err(ApiError::new(ErrorCode::OriginNotAllowed, format!("origin {origin} is not allowed for widget {}", widget.id)));
        }
    }
    if let Some(h) = &cfg.country_header {
        if let Some(country) = headers.get(h.as_str()).and_then(|v| v.to_str().ok()) {
            let country = country.trim();
            if widget.blocked_countries.iter().any(|c| c.eq_ignore_ascii_case(country)) {
                return Err(ApiError::new(ErrorCode::CountryBlocked, format!("chat is not available in country {country}")));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert!(origin_matches("https://shop.example", "https://shop.example"));
        assert!(origin_matches("https://*.example.com", "https://a.b.example.com"));
        assert!(!origin_matches("https://*.example.com", "https://example.com"));
        assert!(!origin_matches("https://*.example.com", "https://evilexample.com"));
        assert!(!origin_matches("https://*.example.com", "http://a.example.com"));
        assert!(origin_matches("*", "http://x"));
    }

    #[test]
    fn ips() {
        let b = IpBlocklist::parse(&["203.0.113.0/24".into(), "10.1.2.3".into()]).unwrap();
        assert!(b.contains("203.0.113.9".parse().unwrap()));
        assert!(b.contains("::ffff:10.1.2.3".parse().unwrap()));
        assert!(!b.contains("10.1.2.4".parse().unwrap()));
        assert!(IpBlocklist::parse(&["nope".into()]).is_err());
    }
}
