# Core rules only: the bundled terraform ruleset needs no plugin download (no `tflint --init`).
config {
  call_module_type = "none"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}
