def test_xlsxwriter_without_its_charts_still_draws_them_and_hashes_pictures(tmp_path):
    """The stand-ins of the unused chart modules and of hashlib load the real thing when used."""
    import io
    import subprocess
    import sys

    code = (
        "import sys, zipfile\n"
        "from mitgliederarbeit.dateien import arbeitsmappe\n"
        "mappe = arbeitsmappe(sys.argv[1])\n"
        "print(sorted(m for m in sys.modules if m.startswith('xlsxwriter.chart_') or m == '_hashlib'))\n"
        "blatt = mappe.add_worksheet('Daten')\n"
        "blatt.write_column('A1', [1, 2, 3])\n"
        "diagramm = mappe.add_chart({'type': 'bar'})\n"
        "diagramm.add_series({'values': '=Daten!$A$1:$A$3'})\n"
        "blatt.insert_chart('C1', diagramm)\n"
        "import io\nblatt.insert_image('C20', 'bild.png', {'image_data': io.BytesIO(open(sys.argv[2], 'rb').read())})\n"
        "mappe.close()\n"
        "print(sorted(n for n in zipfile.ZipFile(sys.argv[1]).namelist() if 'chart' in n or 'media' in n))\n"
    )
    from PIL import Image

    png = tmp_path / "bild.png"
    puffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(puffer, "PNG")
    png.write_bytes(puffer.getvalue())
    lauf = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "m.xlsx"), str(png)], capture_output=True, text=True
    )
    assert lauf.returncode == 0, lauf.stderr
    vorher, dateien = lauf.stdout.splitlines()
    assert vorher == "[]"
    assert dateien == "['xl/charts/chart1.xml', 'xl/media/image1.png']"
