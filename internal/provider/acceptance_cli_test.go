package provider

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestAccCLI fails, rather than lets the acceptance tests skip, when they are asked for (TF_ACC) but the
// CLI to run them with is missing.
func TestAccCLI(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1 (make testacc)")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH is not set: run the acceptance tests with make testacc, which finds or builds terraform and tofu")
	}
	out, err := exec.Command(cli, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s version: %v\n%s", cli, err, out)
	}
	t.Logf("acceptance tests run with %s", strings.SplitN(string(out), "\n", 2)[0])
}
