"""The six demo programs of a kabupaten Dinas Sosial, as data (Indonesian, as the department
writes them). ``demo.py`` turns them into records through the services.

Indicators: (code, name, unit, unit label, direction, baseline, rule, quarterly targets,
disaggregations, data source). Activities: (code, name, (month, day) start, (month, day) end,
owner, planned budget, flags) with flags "after" (depends on the previous activity of the same
output) and "late" (not finished although its planned end has passed).
"""

from bakti.core.demo import KABUPATEN, KECAMATAN_A, KECAMATAN_B

PROGRAMS = [
    {
        "code": "PKH-2026",
        "name": "Pendampingan Keluarga Penerima Manfaat PKH 2026",
        "type": "social_assistance",
        "unit": "LINJAMSOS-JS",
        "regions": [KABUPATEN],
        "ppks": ["24", "02"],
        "status": "active",
        "description": (
            "Pendampingan keluarga penerima manfaat (KPM) Program Keluarga Harapan di seluruh "
            "kecamatan: verifikasi komitmen pendidikan dan kesehatan, Pertemuan Peningkatan "
            "Kemampuan Keluarga (P2K2) dan graduasi mandiri."
        ),
        "strategy": (
            "Bantuan tunai bersyarat saja tidak cukup untuk keluar dari kemiskinan. Dengan "
            "pendampingan rutin, P2K2 dan penghubungan ke program pemberdayaan, keluarga "
            "memenuhi komitmen pendidikan dan kesehatan anak dan menambah penghasilan.\n\n"
            "- Pendamping sosial PKH per desa\n- Modul P2K2 (ekonomi, kesehatan, pengasuhan)\n"
            "- Graduasi mandiri bagi KPM desil 4 ke atas"
        ),
        "goal": "Kesejahteraan keluarga miskin di Kabupaten Sleman meningkat",
        "outcomes": [
            {
                "statement": "KPM PKH memenuhi komitmen pendidikan dan kesehatan",
                "indicators": [
                    (
                        "PKH-O1",
                        "Persentase KPM yang memenuhi komitmen pendidikan dan kesehatan",
                        "percentage",
                        "%",
                        "increase",
                        "82",
                        "non_summing",
                        ["84", "86", "88", "90"],
                        ["region"],
                        "Aplikasi e-PKH, verifikasi komitmen",
                    ),
                ],
                "outputs": [
                    {
                        "statement": "KPM mengikuti P2K2 secara rutin",
                        "indicators": [
                            (
                                "PKH-K1",
                                "Jumlah sesi P2K2 yang terlaksana",
                                "number",
                                "sesi",
                                "increase",
                                "0",
                                "per_period",
                                ["120", "150", "150", "130"],
                                ["region"],
                                "Laporan pendamping PKH",
                            ),
                            (
                                "PKH-K2",
                                "Jumlah KPM yang mengikuti minimal 5 modul P2K2",
                                "number",
                                "KPM",
                                "increase",
                                "1450",
                                "cumulative",
                                ["400", "900", "1500", "2000"],
                                ["sex", "region", "disability"],
                                "Daftar hadir P2K2",
                            ),
                        ],
                        "activities": [
                            (
                                "PKH-1",
                                "Pemutakhiran data KPM dan verifikasi DTSEN",
                                (1, 5),
                                (2, 14),
                                "staf",
                                "15000000",
                                (),
                            ),
                            (
                                "PKH-2",
                                "Pelatihan penyegaran pendamping PKH",
                                (2, 16),
                                (3, 6),
                                "manajer",
                                "42000000",
                                ("after",),
                            ),
                            (
                                "PKH-3",
                                "P2K2 modul ekonomi dan pengasuhan (semester 1)",
                                (3, 9),
                                (6, 30),
                                "petugas.a",
                                "60000000",
                                ("after",),
                            ),
                            (
                                "PKH-4",
                                "P2K2 modul kesehatan dan perlindungan anak (semester 2)",
                                (7, 1),
                                (12, 15),
                                "petugas.b",
                                "60000000",
                                ("after",),
                            ),
                        ],
                    },
                    {
                        "statement": "KPM yang mampu dinyatakan graduasi mandiri",
                        "indicators": [
                            (
                                "PKH-K3",
                                "Jumlah KPM graduasi mandiri",
                                "number",
                                "KPM",
                                "increase",
                                "310",
                                "cumulative",
                                ["50", "120", "200", "300"],
                                ["sex", "region"],
                                "SK graduasi, aplikasi e-PKH",
                            ),
                        ],
                        "activities": [
                            (
                                "PKH-5",
                                "Penilaian kesiapan graduasi KPM desil 4",
                                (4, 1),
                                (7, 31),
                                "staf",
                                "18000000",
                                (),
                            ),
                            (
                                "PKH-6",
                                "Penghubungan KPM graduasi ke KUBE dan kredit usaha",
                                (8, 3),
                                (10, 30),
                                "staf",
                                "25000000",
                                ("after", "late"),
                            ),
                            (
                                "PKH-7",
                                "Penetapan SK graduasi mandiri",
                                (11, 2),
                                (12, 18),
                                "kadis",
                                "5000000",
                                ("after",),
                            ),
                        ],
                    },
                ],
            },
        ],
        "risks": [
            (
                "Data KPM di DTSEN tidak mutakhir sehingga bantuan salah sasaran",
                "targeting",
                4,
                4,
                "Verifikasi lapangan triwulanan dan usulan perbaikan melalui desa",
                "staf",
            ),
            (
                "Pendamping PKH berhenti di tengah tahun",
                "operational",
                3,
                3,
                "Daftar cadangan pendamping dan pembagian wilayah sementara",
                "manajer",
            ),
            (
                "Pungutan liar saat penyaluran bantuan",
                "safeguarding",
                2,
                5,
                "Sosialisasi kanal pengaduan dan pemantauan penyaluran",
                "kadis",
            ),
        ],
        "team": [
            ("manajer", "Penanggung jawab program"),
            ("staf", "Koordinator kabupaten"),
            ("petugas.a", "Pendamping PKH Gamping"),
            ("petugas.b", "Pendamping PKH Godean"),
        ],
    },
    {
        "code": "LANSIA-2026",
        "name": "Perawatan Sosial Lanjut Usia Terlantar 2026",
        "type": "social_rehabilitation",
        "unit": "REHSOS-AL",
        "regions": [KABUPATEN],
        "ppks": ["08"],
        "status": "active",
        "description": (
            "Perawatan sosial bagi lanjut usia terlantar di keluarga (home care) dan di UPTD "
            "Panti Sosial Bina Lanjut Usia, dengan pendamping lansia dan relawan desa."
        ),
        "strategy": (
            "Lansia terlantar paling baik dirawat di lingkungannya sendiri. Pendamping dan "
            "relawan desa mengunjungi rumah, keluarga dilatih merawat, dan panti menjadi "
            "pilihan terakhir bagi yang tidak memiliki keluarga."
        ),
        "goal": "Lanjut usia terlantar hidup layak dan terawat",
        "outcomes": [
            {
                "statement": "Lansia terlantar terpenuhi kebutuhan dasar dan perawatannya",
                "indicators": [
                    (
                        "LU-O1",
                        "Persentase lansia dampingan dengan rencana perawatan yang dijalankan",
                        "percentage",
                        "%",
                        "increase",
                        "55",
                        "non_summing",
                        ["60", "65", "70", "75"],
                        ["sex", "disability"],
                        "Kartu perawatan lansia",
                    ),
                ],
                "outputs": [
                    {
                        "statement": "Lansia terlantar mendapat perawatan di rumah (home care)",
                        "indicators": [
                            (
                                "LU-K1",
                                "Jumlah lansia terlantar yang mendapat home care",
                                "number",
                                "orang",
                                "increase",
                                "140",
                                "cumulative",
                                ["60", "110", "160", "200"],
                                ["sex", "age_group", "region"],
                                "Register home care",
                            ),
                            (
                                "LU-K2",
                                "Jumlah kunjungan rumah oleh pendamping",
                                "number",
                                "kunjungan",
                                "increase",
                                "0",
                                "per_period",
                                ["300", "450", "450", "400"],
                                ["region"],
                                "Log kunjungan pendamping",
                            ),
                        ],
                        "activities": [
                            (
                                "LU-1",
                                "Pendataan dan asesmen lansia terlantar per desa",
                                (1, 12),
                                (2, 27),
                                "petugas.a",
                                "20000000",
                                (),
                            ),
                            (
                                "LU-2",
                                "Pelatihan perawat keluarga dan relawan desa",
                                (3, 2),
                                (4, 10),
                                "staf",
                                "35000000",
                                ("after",),
                            ),
                            (
                                "LU-3",
                                "Kunjungan home care dan pemberian permakanan",
                                (4, 13),
                                (12, 18),
                                "petugas.b",
                                "180000000",
                                ("after",),
                            ),
                        ],
                    },
                    {
                        "statement": "Lansia tanpa keluarga dirawat di panti",
                        "indicators": [
                            (
                                "LU-K3",
                                "Jumlah lansia yang dirawat di UPTD PSBL",
                                "number",
                                "orang",
                                "maintain",
                                "88",
                                "non_summing",
                                ["90", "90", "90", "90"],
                                ["sex"],
                                "Register UPTD PSBL",
                            ),
                        ],
                        "activities": [
                            (
                                "LU-4",
                                "Rehabilitasi kamar dan fasilitas panti",
                                (2, 2),
                                (5, 29),
                                "manajer",
                                "250000000",
                                ("late",),
                            ),
                            (
                                "LU-5",
                                "Penerimaan lansia rujukan desa ke panti",
                                (6, 1),
                                (11, 27),
                                "staf",
                                "40000000",
                                ("after",),
                            ),
                        ],
                    },
                ],
            },
        ],
        "risks": [
            (
                "Keluarga menolak merawat lansia di rumah",
                "safeguarding",
                3,
                4,
                "Konseling keluarga dan rujukan ke panti bila perlu",
                "staf",
            ),
            (
                "Rehabilitasi panti terlambat karena lelang ulang",
                "operational",
                4,
                3,
                "Percepat jadwal lelang dan siapkan ruang sementara",
                "manajer",
            ),
        ],
        "team": [
            ("manajer", "Penanggung jawab program"),
            ("staf", "Koordinator lansia"),
            ("petugas.a", "Pendamping lansia Gamping"),
            ("petugas.b", "Pendamping lansia Godean"),
        ],
    },
    {
        "code": "ABD-2026",
        "name": "Bantuan Alat Bantu Disabilitas 2026",
        "type": "social_rehabilitation",
        "unit": "REHSOS-PD",
        "regions": [KECAMATAN_A, KECAMATAN_B],
        "ppks": ["09", "05"],
        "status": "approved",
        "description": (
            "Penyediaan alat bantu (kursi roda, kruk, alat bantu dengar, tongkat adaptif) bagi "
            "penyandang disabilitas berdasarkan asesmen fungsional Washington Group."
        ),
        "strategy": (
            "Alat bantu yang tepat membuka akses sekolah, kerja dan kegiatan sosial. Asesmen "
            "fungsional menentukan kebutuhan; terapis mengukur dan melatih pemakaian; "
            "pemeliharaan dilakukan bersama organisasi penyandang disabilitas."
        ),
        "goal": "Penyandang disabilitas berpartisipasi penuh dalam kehidupan sosial",
        "outcomes": [
            {
                "statement": "Penerima alat bantu lebih mandiri dalam kegiatan sehari-hari",
                "indicators": [
                    (
                        "ABD-O1",
                        "Persentase penerima yang menyatakan kemandirian meningkat",
                        "percentage",
                        "%",
                        "increase",
                        None,
                        "non_summing",
                        ["", "70", "", "80"],
                        ["sex", "age_group", "disability"],
                        "Survei kepuasan penerima",
                    ),
                ],
                "outputs": [
                    {
                        "statement": "Alat bantu yang sesuai diserahkan kepada penyandang"
                        " disabilitas",
                        "indicators": [
                            (
                                "ABD-K1",
                                "Jumlah alat bantu yang diserahkan",
                                "number",
                                "unit",
                                "increase",
                                "0",
                                "per_period",
                                ["0", "60", "90", "50"],
                                ["sex", "age_group", "disability", "region"],
                                "Berita acara serah terima",
                            ),
                        ],
                        "activities": [
                            (
                                "ABD-1",
                                "Asesmen fungsional calon penerima (Washington Group)",
                                (2, 2),
                                (3, 31),
                                "staf",
                                "25000000",
                                (),
                            ),
                            (
                                "ABD-2",
                                "Pengadaan alat bantu melalui e-katalog",
                                (4, 1),
                                (6, 30),
                                "manajer",
                                "450000000",
                                ("after", "late"),
                            ),
                            (
                                "ABD-3",
                                "Pengukuran, penyerahan dan pelatihan pemakaian",
                                (7, 1),
                                (11, 30),
                                "staf",
                                "60000000",
                                ("after",),
                            ),
                        ],
                    },
                ],
            },
        ],
        "risks": [
            (
                "Alat bantu tidak sesuai ukuran atau kebutuhan penerima",
                "operational",
                3,
                3,
                "Pengukuran oleh terapis sebelum pengadaan",
                "staf",
            ),
            (
                "Harga alat bantu di e-katalog naik melebihi pagu",
                "financial",
                2,
                4,
                "Prioritaskan penerima dan ajukan pergeseran anggaran",
                "manajer",
            ),
        ],
        "team": [("manajer", "Penanggung jawab program"), ("staf", "Koordinator asesmen")],
    },
    {
        "code": "ANJAL-2026",
        "name": "Rehabilitasi Sosial Anak Jalanan 2026",
        "type": "social_rehabilitation",
        "unit": "REHSOS-AL",
        "regions": [KECAMATAN_A],
        "ppks": ["04", "02", "07"],
        "status": "submitted",
        "description": (
            "Penjangkauan, asesmen dan rehabilitasi sosial anak jalanan melalui rumah singgah, "
            "kembali sekolah dan reunifikasi dengan keluarga."
        ),
        "strategy": (
            "Anak turun ke jalan karena kemiskinan dan masalah keluarga. Penjangkauan membangun "
            "kepercayaan; rumah singgah memberi layanan dasar; reunifikasi dan dukungan keluarga "
            "mencegah anak kembali ke jalan."
        ),
        "goal": "Anak jalanan kembali tumbuh kembang dalam pengasuhan keluarga",
        "outcomes": [
            {
                "statement": "Anak jalanan kembali ke keluarga dan sekolah",
                "indicators": [
                    (
                        "ANJ-O1",
                        "Jumlah anak jalanan yang kembali ke keluarga",
                        "number",
                        "anak",
                        "increase",
                        "12",
                        "cumulative",
                        ["5", "12", "20", "30"],
                        ["sex", "age_group"],
                        "Register kasus",
                    ),
                    (
                        "ANJ-O2",
                        "Jumlah anak jalanan yang tercatat di titik pantau",
                        "number",
                        "anak",
                        "decrease",
                        "64",
                        "non_summing",
                        ["60", "52", "45", "40"],
                        ["sex", "age_group"],
                        "Pemantauan titik rawan",
                    ),
                ],
                "outputs": [
                    {
                        "statement": "Anak jalanan terjangkau dan mendapat layanan rumah singgah",
                        "indicators": [
                            (
                                "ANJ-K1",
                                "Jumlah anak yang dijangkau dan diasesmen",
                                "number",
                                "anak",
                                "increase",
                                "0",
                                "per_period",
                                ["20", "20", "15", "10"],
                                ["sex", "age_group"],
                                "Formulir asesmen",
                            ),
                        ],
                        "activities": [
                            (
                                "ANJ-1",
                                "Penjangkauan malam di titik rawan",
                                (1, 15),
                                (12, 15),
                                "petugas.a",
                                "30000000",
                                (),
                            ),
                            (
                                "ANJ-2",
                                "Layanan rumah singgah dan konseling",
                                (2, 1),
                                (12, 20),
                                "staf",
                                "90000000",
                                (),
                            ),
                            (
                                "ANJ-3",
                                "Reunifikasi dan kunjungan rumah keluarga",
                                (5, 4),
                                (9, 30),
                                "petugas.a",
                                "20000000",
                                ("late",),
                            ),
                        ],
                    },
                ],
            },
        ],
        "risks": [
            (
                "Anak kembali ke jalan setelah reunifikasi",
                "safeguarding",
                4,
                4,
                "Kunjungan lanjutan 3 bulan dan dukungan ekonomi keluarga",
                "petugas.a",
            ),
            (
                "Eksploitasi oleh orang dewasa di titik rawan",
                "safeguarding",
                3,
                5,
                "Koordinasi dengan kepolisian dan UPTD PPA",
                "staf",
            ),
        ],
        "team": [("staf", "Koordinator program"), ("petugas.a", "Pekerja sosial penjangkauan")],
    },
    {
        "code": "TAGANA-2026",
        "name": "Kesiapsiagaan Bencana Tagana dan Kampung Siaga Bencana 2026",
        "type": "disaster_response",
        "unit": "LINJAMSOS-BS",
        "regions": [KABUPATEN],
        "ppks": ["21"],
        "status": "active",
        "description": (
            "Peningkatan kapasitas Taruna Siaga Bencana (Tagana), pembentukan Kampung Siaga "
            "Bencana dan penyiapan logistik buffer stock di lereng Merapi dan daerah rawan banjir."
        ),
        "strategy": (
            "Warga adalah penolong pertama. Tagana terlatih, kampung siaga dengan rencana "
            "kontinjensi dan logistik yang siap membuat respons 24 jam pertama lebih cepat."
        ),
        "goal": "Masyarakat siap menghadapi dan pulih dari bencana",
        "outcomes": [
            {
                "statement": "Desa rawan bencana memiliki kapasitas tanggap darurat",
                "indicators": [
                    (
                        "TGN-O1",
                        "Jumlah desa dengan Kampung Siaga Bencana aktif",
                        "number",
                        "desa",
                        "increase",
                        "6",
                        "cumulative",
                        ["6", "8", "10", "12"],
                        ["region"],
                        "SK KSB dan laporan simulasi",
                    ),
                ],
                "outputs": [
                    {
                        "statement": "Anggota Tagana dan KSB terlatih",
                        "indicators": [
                            (
                                "TGN-K1",
                                "Jumlah anggota Tagana dan KSB yang dilatih",
                                "number",
                                "orang",
                                "increase",
                                "0",
                                "per_period",
                                ["40", "60", "60", "40"],
                                ["sex", "region"],
                                "Daftar hadir pelatihan",
                            ),
                        ],
                        "activities": [
                            (
                                "TGN-1",
                                "Pelatihan dasar Tagana dan dapur umum",
                                (2, 9),
                                (3, 20),
                                "manajer",
                                "55000000",
                                (),
                            ),
                            (
                                "TGN-2",
                                "Pembentukan dan pelatihan Kampung Siaga Bencana",
                                (4, 6),
                                (8, 28),
                                "petugas.b",
                                "80000000",
                                ("after",),
                            ),
                            (
                                "TGN-3",
                                "Simulasi evakuasi erupsi Merapi",
                                (9, 7),
                                (10, 16),
                                "petugas.b",
                                "35000000",
                                ("after", "late"),
                            ),
                        ],
                    },
                    {
                        "statement": "Logistik buffer stock siap disalurkan",
                        "indicators": [
                            (
                                "TGN-K2",
                                "Persentase gudang dengan stok logistik sesuai standar",
                                "percentage",
                                "%",
                                "maintain",
                                "100",
                                "non_summing",
                                ["100", "100", "100", "100"],
                                [],
                                "Kartu stok gudang",
                            ),
                        ],
                        "activities": [
                            (
                                "TGN-4",
                                "Pengadaan dan rotasi buffer stock logistik",
                                (3, 2),
                                (11, 13),
                                "staf",
                                "150000000",
                                (),
                            ),
                        ],
                    },
                ],
            },
        ],
        "risks": [
            (
                "Erupsi Merapi terjadi sebelum simulasi",
                "disaster",
                2,
                5,
                "Rencana kontinjensi dan jalur evakuasi dipasang lebih awal",
                "manajer",
            ),
            (
                "Relawan KSB tidak aktif setelah pelatihan",
                "operational",
                3,
                3,
                "Pertemuan rutin dan insentif non-tunai",
                "petugas.b",
            ),
        ],
        "team": [
            ("manajer", "Penanggung jawab program"),
            ("staf", "Pengelola logistik"),
            ("petugas.b", "Koordinator Tagana"),
        ],
    },
    {
        "code": "PRSE-2026",
        "name": "Pemberdayaan Ekonomi Perempuan Rawan Sosial Ekonomi 2026",
        "type": "social_empowerment",
        "unit": "DAYASOS",
        "regions": [KECAMATAN_B],
        "ppks": ["23"],
        "status": "active",
        "description": (
            "Pelatihan keterampilan, bantuan modal usaha dan pendampingan kelompok usaha bagi "
            "perempuan rawan sosial ekonomi (kepala keluarga perempuan berpenghasilan rendah)."
        ),
        "strategy": (
            "Perempuan kepala keluarga sering tidak punya modal dan jaringan pasar. Pelatihan "
            "keterampilan, modal awal dan kelompok usaha bersama meningkatkan penghasilan dan "
            "saling dukung."
        ),
        "goal": "Perempuan rawan sosial ekonomi berpenghasilan layak",
        "outcomes": [
            {
                "statement": "Penghasilan perempuan penerima manfaat meningkat",
                "indicators": [
                    (
                        "PRSE-O1",
                        "Rata-rata penghasilan bulanan penerima",
                        "currency",
                        "Rp",
                        "increase",
                        "850000",
                        "non_summing",
                        ["", "", "1000000", "1200000"],
                        ["age_group"],
                        "Survei penghasilan",
                    ),
                ],
                "outputs": [
                    {
                        "statement": "Perempuan terlatih dan memiliki usaha",
                        "indicators": [
                            (
                                "PRSE-K1",
                                "Jumlah perempuan yang menerima pelatihan dan modal usaha",
                                "number",
                                "orang",
                                "increase",
                                "0",
                                "cumulative",
                                ["0", "40", "80", "100"],
                                ["age_group", "disability"],
                                "Berita acara bantuan",
                            ),
                        ],
                        "activities": [
                            (
                                "PRSE-1",
                                "Seleksi penerima bersama pemerintah desa",
                                (3, 2),
                                (4, 17),
                                "staf",
                                "8000000",
                                (),
                            ),
                            (
                                "PRSE-2",
                                "Pelatihan keterampilan (boga, jahit, olahan pangan)",
                                (5, 4),
                                (8, 28),
                                "staf",
                                "120000000",
                                ("after",),
                            ),
                            (
                                "PRSE-3",
                                "Penyaluran modal usaha dan pendampingan KUBE",
                                (9, 1),
                                (12, 18),
                                "staf",
                                "200000000",
                                ("after",),
                            ),
                        ],
                    },
                ],
            },
        ],
        "risks": [
            (
                "Usaha penerima tidak bertahan lebih dari enam bulan",
                "operational",
                3,
                4,
                "Pendampingan kelompok dan akses pasar daring",
                "staf",
            ),
        ],
        "team": [("staf", "Koordinator program")],
    },
]
