//! Bad specs of any kind get an error, never a panic: every scalar of the fixture specs is
//! replaced, one at a time, with hostile values, and the whole pipeline runs on the result.

mod support;

use std::path::Path;

/// Replaces the `n`th scalar value of a YAML text (a value after `: ` or `- `) with `with`.
fn replace_scalar(text: &str, n: usize, with: &str) -> Option<String> {
    let mut seen = 0;
    let mut out = String::new();
    let mut done = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let value_at = if done || trimmed.starts_with('#') {
            None
        } else if let Some(i) = line.find(": ") {
            Some(i + 2)
        } else if trimmed.starts_with("- ") && !trimmed.contains(':') {
            Some(line.len() - trimmed.len() + 2)
        } else {
            None
        };
        match value_at {
            Some(i) if !line[i..].trim().is_empty() && !line[i..].trim_start().starts_with(['{', '[', '>', '|']) => {
                if seen == n {
                    out.push_str(&line[..i]);
                    out.push_str(with);
                    done = true;
                } else {
                    out.push_str(line);
                }
                seen += 1;
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    done.then_some(out)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
    out.sort();
}

#[test]
fn hostile_spec_values_give_errors_not_panics() {
    let hostile = ["''", "\"a b\"", "\"1x\"", "self", "\"{\"", "\"^[\"", "-1", "\"Option\"", "\"\\u00e9\"", "[]"];
    let work = std::env::temp_dir().join(format!("flightapi-robust-{}", std::process::id()));
    let mut runs = 0;
    let mut errors = 0;
    for fixture in ["basic", "hostile"] {
        let source = support::here().join("fixtures").join(fixture).join("spec");
        let mut files = Vec::new();
        yaml_files(&source, &mut files);
        for file in files {
            let rel = file.strip_prefix(&source).unwrap().to_owned();
            let text = std::fs::read_to_string(&file).unwrap();
            for n in 0.. {
                let Some(_) = replace_scalar(&text, n, "x") else { break };
                for value in hostile {
                    let mutated = replace_scalar(&text, n, value).unwrap();
                    let _ = std::fs::remove_dir_all(&work);
                    copy_dir(&source, &work);
                    std::fs::write(work.join(&rel), &mutated).unwrap();
                    let result = std::panic::catch_unwind(|| {
                        flightapi_codegen::Generator::new(&work, "unused").single_file().render().map(|_| ())
                    });
                    runs += 1;
                    match result {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => {
                            errors += 1;
                            assert!(!e.to_string().is_empty());
                        }
                        Err(_) => {
                            panic!("the generator panicked on {} with scalar #{n} = {value}:\n{mutated}", rel.display())
                        }
                    }
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    eprintln!("{runs} mutated specs: {errors} refused with an error, none panicked");
    assert!(runs > 1000 && errors > 100, "{runs} runs, {errors} errors");
}
