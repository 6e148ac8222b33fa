namespace kern {

class Device {
public:
  virtual ~Device() {}
  virtual int read(char *buf, unsigned len) = 0;
  virtual int write(const char *buf, unsigned len) = 0;
  int id() const { return ident; }

protected:
  int ident;

private:
  unsigned long flags;
};

class Console : public Device {
public:
  int read(char *buf, unsigned len) override;
  int write(const char *buf, unsigned len) override;
  unsigned long columns;

private:
  int cursor;
};

}
