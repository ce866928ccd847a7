//! The static directories (`--static`, `--pkg`): a request that cannot name
//! a file is a 404, not a 500 with an ERROR in the log.

mod common;

use common::*;

#[tokio::test]
async fn names_too_long_for_a_file_are_not_found() {
    let dir = std::env::temp_dir().join(format!("lcw-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("page.html"), "<p>hi</p>").unwrap();
    let mut cfg = config(":memory:");
    cfg.static_dir = Some(dir.clone());
    cfg.pkg_dir = Some(dir.clone());
    let s = start(cfg).await;
    let get = |path: String| {
        let url = format!("{}{path}", base(&s));
        async move { http().get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get("/page.html".into()).await, 200);
    assert_eq!(get("/pkg/page.html".into()).await, 200);
    assert_eq!(get("/missing.html".into()).await, 404);
    let long = "a".repeat(256);
    for path in [format!("/{long}"), format!("/{long}/x.js"), format!("/pkg/{long}.wasm"), format!("/{}", "b/".repeat(2100))] {
        assert_eq!(get(path.clone()).await, 404, "{}", &path[..40]);
    }
    // 255 bytes is a name a file can have: asked for, it is simply missing.
    assert_eq!(get(format!("/{}", "a".repeat(255))).await, 404);
    // The API is not behind the guard.
    assert_eq!(get("/healthz".into()).await, 200);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_guard_knows_the_limits() {
    assert!(!lcw_server::web::too_long_for_a_file(&format!("/{}", "a".repeat(255))));
    assert!(lcw_server::web::too_long_for_a_file(&format!("/{}", "a".repeat(256))));
    assert!(!lcw_server::web::too_long_for_a_file(&"/a".repeat(2048)));
    assert!(lcw_server::web::too_long_for_a_file(&"/a".repeat(2049)));
}
