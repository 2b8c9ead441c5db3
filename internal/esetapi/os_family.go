package esetapi

import "strconv"

// osFamilies names the documented operatingSystem.familyId values (ESET's spec; some third-party code swaps
// Linux and Apple, contrary to it).
var osFamilies = map[Int64]string{
	0: "unknown",
	1: "windows",
	2: "linux",
	3: "apple",
	4: "android",
	5: "windows_mobile",
	6: "symbian",
	7: "unix",
}

// OSFamily names an operating system family id: "windows", "linux", "apple" (macOS and iOS), "android",
// "windows_mobile", "symbian", "unix" (UNIX and FreeBSD), or "unknown" for 0. An id newer than the docs
// passes through as "family_<id>", so that it is neither lost nor mistaken for a known family.
func OSFamily(id Int64) string {
	if name, ok := osFamilies[id]; ok {
		return name
	}
	return "family_" + strconv.FormatInt(int64(id), 10)
}

// OSFamilies lists the names OSFamily gives the documented ids, in id order.
func OSFamilies() []string {
	out := make([]string, len(osFamilies))
	for id, name := range osFamilies {
		out[id] = name
	}
	return out
}
