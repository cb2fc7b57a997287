import { describe, expect, it } from 'vitest';
import { fileExtension, isExecutableFile } from './riskyFileTypes';

describe('isExecutableFile', () => {
  it('flags programs, installers, scripts and packages of every platform', () => {
    const names = ['setup.exe', 'x.msi', 'run.bat', 'run.cmd', 'a.ps1', 'install.sh', 'Tool.app', 'Tool.dmg'];
    names.push('lib.jar', 'hello.js', 'a.vbs', 'screen.scr', 'game.apk', 'pkg.deb', 'pkg.rpm', 'link.lnk');
    for (const name of names) expect(isExecutableFile(name), name).toBe(true);
  });

  it('goes by the last extension, in any case, so a second extension hides nothing', () => {
    expect(isExecutableFile('invoice.pdf.EXE')).toBe(true);
    expect(isExecutableFile('setup.exe.pdf')).toBe(false);
    expect(isExecutableFile('setup.exe. ')).toBe(true);
  });

  it('leaves documents, pictures and archives alone', () => {
    for (const name of ['notes.pdf', 'photo.jpeg', 'song.mp3', 'a.zip', 'exe', '.exe', 'README']) {
      expect(isExecutableFile(name), name).toBe(false);
    }
  });

  it('flags a program by its declared type whatever its name', () => {
    expect(isExecutableFile('holiday.jpg', 'application/x-msdownload')).toBe(true);
    expect(isExecutableFile('holiday.jpg', 'image/jpeg')).toBe(false);
  });
});

describe('fileExtension', () => {
  it('is the last extension, lowercase, or nothing', () => {
    expect(fileExtension('a.tar.GZ')).toBe('gz');
    expect(fileExtension('.bashrc')).toBe('');
    expect(fileExtension('Makefile')).toBe('');
  });
});
